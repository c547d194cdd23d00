//! Property: any well-formed session description, typed attributes included,
//! survives `parse(write(s)) == s`; and for any text that parses leniently,
//! `parse(write(parse(x))) == parse(x)`.

use proptest::prelude::*;
use sdp_parse::{
    Attribute, Bandwidth, Candidate, Connection, Crypto, Direction, Extmap, FeedbackType,
    Fingerprint, Fmtp, Group, Line, LineEnding, MediaDescription, MediaLine, Msid, MsidSemantic,
    Origin, OriginLine, Rid, RidDirection, RtcpFb, Rtpmap, SessionDescription, Setup, Simulcast,
    SimulcastList, Ssrc, SsrcGroup, Timing,
};

type S = String;

fn re(r: &'static str) -> impl Strategy<Value = S> {
    proptest::string::string_regex(r).unwrap()
}

fn token() -> impl Strategy<Value = S> {
    re("[a-zA-Z0-9][a-zA-Z0-9.+_-]{0,8}")
}

fn opt_token() -> impl Strategy<Value = Option<S>> {
    proptest::option::of(token())
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::SendRecv),
        Just(Direction::SendOnly),
        Just(Direction::RecvOnly),
        Just(Direction::Inactive)
    ]
}

fn rid_dir() -> impl Strategy<Value = RidDirection> {
    prop_oneof![Just(RidDirection::Send), Just(RidDirection::Recv)]
}

fn attribute() -> impl Strategy<Value = Attribute<String>> {
    let a = prop_oneof![
        (
            0u8..=127,
            token(),
            any::<u32>(),
            proptest::option::of(re("[1-8]"))
        )
            .prop_map(
                |(payload_type, encoding_name, clock_rate, encoding_params)| {
                    Attribute::Rtpmap(Rtpmap {
                        payload_type,
                        encoding_name,
                        clock_rate,
                        encoding_params,
                    })
                }
            ),
        (
            0u8..=127,
            re("[a-z-]{1,10}=[0-9]{1,4}(;[a-z-]{1,10}=[0-9]{1,4}){0,3}")
        )
            .prop_map(|(pt, params)| Attribute::Fmtp(Fmtp {
                format: pt.to_string(),
                params
            })),
        (
            proptest::option::of(0u8..=127),
            prop_oneof![
                Just((FeedbackType::Nack, None)),
                Just((FeedbackType::Nack, Some("pli".into()))),
                Just((FeedbackType::Ccm, Some("fir".into()))),
                Just((FeedbackType::GoogRemb, None)),
                Just((FeedbackType::TransportCc, None)),
                (0u32..100_000).prop_map(|n| (FeedbackType::TrrInt, Some(n.to_string()))),
                (re("x-[a-z]{1,6}"), opt_token()).prop_map(|(t, p)| (FeedbackType::Other(t), p)),
            ]
        )
            .prop_map(
                |(payload_type, (feedback, params))| Attribute::RtcpFb(RtcpFb {
                    payload_type,
                    feedback,
                    params
                })
            ),
        (
            1u16..=255,
            proptest::option::of(direction()),
            re("urn:[a-z:-]{1,20}"),
            opt_token()
        )
            .prop_map(
                |(id, direction, uri, attributes)| Attribute::Extmap(Extmap {
                    id,
                    direction,
                    uri,
                    attributes
                })
            ),
        (
            any::<u32>(),
            token(),
            proptest::option::of(re("[ -~]{0,12}"))
        )
            .prop_map(|(ssrc, attribute, value)| Attribute::Ssrc(Ssrc {
                ssrc,
                attribute,
                value
            })),
        (token(), proptest::collection::vec(any::<u32>(), 1..4)).prop_map(|(semantics, v)| {
            let ssrcs = v.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
            Attribute::SsrcGroup(SsrcGroup { semantics, ssrcs })
        }),
        (token(), opt_token()).prop_map(|(stream_id, track_id)| Attribute::Msid(Msid {
            stream_id,
            track_id
        })),
        (
            any::<bool>(),
            token(),
            // No trailing space: RFC 8866 §9 has none (it is a warning).
            proptest::option::of(re("[a-z0-9 *]{0,9}[a-z0-9*]"))
        )
            .prop_map(
                |(space_after_colon, semantic, ids)| Attribute::MsidSemantic(MsidSemantic {
                    space_after_colon,
                    semantic,
                    ids,
                    wildcard_attached: false,
                })
            ),
        (
            token(),
            proptest::option::of(re("[a-z0-9]{1,4}( [a-z0-9]{1,4}){0,3}"))
        )
            .prop_map(|(semantics, mids)| Attribute::Group(Group { semantics, mids })),
        token().prop_map(Attribute::Mid),
        re("[a-zA-Z0-9+/]{4,16}").prop_map(Attribute::IceUfrag),
        re("[a-zA-Z0-9+/]{22,32}").prop_map(Attribute::IcePwd),
        re("[a-z0-9]{1,8}( [a-z0-9]{1,8}){0,2}").prop_map(Attribute::IceOptions),
        (
            re("[a-zA-Z0-9+/]{1,32}"),
            1u16..=256,
            prop_oneof![Just("udp"), Just("tcp"), Just("UDP")],
            any::<u32>(),
            re("[a-z0-9.:-]{1,20}"),
            any::<u16>(),
            prop_oneof![Just("host"), Just("srflx"), Just("relay"), Just("prflx")],
            proptest::option::of((re("[0-9.]{1,15}"), any::<u16>())),
            proptest::option::of(re(
                "[a-z-]{1,10} [a-z0-9]{1,5}( [a-z-]{1,10} [a-z0-9]{1,5}){0,2}"
            )),
        )
            .prop_map(
                |(
                    foundation,
                    component,
                    transport,
                    priority,
                    address,
                    port,
                    typ,
                    rel,
                    extensions,
                )| {
                    // An extension named raddr/rport would read back as the related address.
                    let extensions =
                        extensions.filter(|e| !e.starts_with("raddr") && !e.starts_with("rport"));
                    let mut v = format!(
                        "{foundation} {component} {transport} {priority} {address} {port} typ {typ}"
                    );
                    if let Some((a, p)) = &rel {
                        v.push_str(&format!(" raddr {a} rport {p}"));
                    }
                    if let Some(e) = &extensions {
                        v.push(' ');
                        v.push_str(e);
                    }
                    let c = Candidate::parse_str(&v).unwrap().into_owned();
                    // The accessors read back every generated field.
                    assert_eq!(
                        (c.foundation(), c.component(), c.transport(), c.priority()),
                        (&*foundation, component, transport, priority)
                    );
                    assert_eq!((c.address(), c.port(), c.typ()), (&*address, port, typ));
                    assert_eq!(
                        (c.raddr(), c.rport()),
                        (rel.as_ref().map(|r| &*r.0), rel.as_ref().map(|r| r.1))
                    );
                    assert_eq!(c.extensions_raw(), extensions.as_deref());
                    Attribute::Candidate(c)
                }
            ),
        (
            prop_oneof![Just("sha-256"), Just("sha-1"), Just("sha-512")],
            proptest::collection::vec(any::<u8>(), 1..64)
        )
            .prop_map(|(h, bytes)| {
                let fp = bytes
                    .iter()
                    .map(|b| format!("{b:02X}"))
                    .collect::<Vec<_>>()
                    .join(":");
                Attribute::Fingerprint(Fingerprint {
                    hash_function: h.into(),
                    fingerprint: fp,
                })
            }),
        prop_oneof![
            Just(Setup::Active),
            Just(Setup::Passive),
            Just(Setup::ActPass),
            Just(Setup::HoldConn)
        ]
        .prop_map(Attribute::Setup),
        direction().prop_map(Attribute::Direction),
        prop_oneof![
            Just(Attribute::RtcpMux),
            Just(Attribute::RtcpMuxOnly),
            Just(Attribute::RtcpRsize),
            Just(Attribute::ExtmapAllowMixed),
            Just(Attribute::BundleOnly),
            Just(Attribute::IceLite),
            Just(Attribute::EndOfCandidates)
        ],
        (
            re("[a-zA-Z0-9_-]{1,6}"),
            rid_dir(),
            proptest::option::of(re("pt=[0-9]{1,3}(,[0-9]{1,3}){0,2};max-width=[0-9]{1,4}"))
        )
            .prop_map(|(id, direction, restrictions)| Attribute::Rid(Rid {
                id,
                direction,
                restrictions
            })),
        (
            rid_dir(),
            re("~?[a-z0-9]{1,3}([;,]~?[a-z0-9]{1,3}){0,3}"),
            proptest::option::of(re("~?[a-z0-9]{1,3}(;~?[a-z0-9]{1,3}){0,2}"))
        )
            .prop_map(|(d, first, second)| {
                let other = match d {
                    RidDirection::Send => RidDirection::Recv,
                    RidDirection::Recv => RidDirection::Send,
                };
                Attribute::Simulcast(Simulcast {
                    first: SimulcastList {
                        direction: d,
                        streams: first,
                    },
                    second: second.map(|s| SimulcastList {
                        direction: other,
                        streams: s,
                    }),
                })
            }),
        any::<u16>().prop_map(Attribute::SctpPort),
        any::<u64>().prop_map(Attribute::MaxMessageSize),
        re("[1-9][0-9]{0,2}(\\.[0-9]{1,2})?").prop_map(Attribute::Ptime),
        (
            1u32..=999_999_999,
            token(),
            re("inline:[a-zA-Z0-9+/]{8,40}"),
            proptest::option::of(re("[A-Z_=0-9]{1,12}"))
        )
            .prop_map(
                |(tag, suite, key_params, session_params)| Attribute::Crypto(Crypto {
                    tag,
                    suite,
                    key_params,
                    session_params
                })
            ),
        (
            re("x-[a-z0-9-]{1,10}"),
            proptest::option::of(re("[ -~]{0,20}"))
        )
            .prop_map(|(name, value)| Attribute::Other { name, value }),
    ];
    a
}

fn connection() -> impl Strategy<Value = Connection<String>> {
    (
        prop_oneof![Just("IP4"), Just("IP6")],
        re("[0-9a-f.:]{1,15}(/[0-9]{1,3})?"),
    )
        .prop_map(|(t, address)| Connection {
            net_type: "IN".into(),
            addr_type: t.into(),
            address,
        })
}

fn bandwidth() -> impl Strategy<Value = Bandwidth<String>> {
    (
        prop_oneof![
            Just("AS"),
            Just("CT"),
            Just("TIAS"),
            Just("RR"),
            Just("RS"),
            Just("X-YZ")
        ],
        any::<u64>(),
    )
        .prop_map(|(t, bandwidth)| Bandwidth {
            bw_type: t.into(),
            bandwidth,
        })
}

fn media() -> impl Strategy<Value = MediaDescription<String>> {
    (
        prop_oneof![
            Just("audio"),
            Just("video"),
            Just("application"),
            Just("x-other")
        ],
        any::<u16>(),
        proptest::option::of(1u16..=8),
        prop_oneof![
            Just("UDP/TLS/RTP/SAVPF"),
            Just("RTP/AVP"),
            Just("UDP/DTLS/SCTP")
        ],
        re("[0-9a-z-]{1,4}( [0-9a-z-]{1,4}){0,5}"),
        proptest::option::of(re("[ -~]{1,20}")),
        proptest::collection::vec(connection(), 0..2),
        proptest::collection::vec(bandwidth(), 0..2),
        proptest::collection::vec(attribute(), 0..24),
    )
        .prop_map(
            |(m, port, port_count, proto, formats, info, conns, bws, attrs)| {
                let mut lines = Vec::new();
                lines.extend(info.map(Line::Information));
                lines.extend(conns.into_iter().map(Line::Connection));
                lines.extend(bws.into_iter().map(Line::Bandwidth));
                lines.extend(attrs.into_iter().map(Line::Attribute));
                MediaDescription {
                    media_line: MediaLine {
                        media: m.into(),
                        port,
                        port_count,
                        proto: proto.into(),
                        formats,
                    },
                    lines,
                }
            },
        )
}

fn session() -> impl Strategy<Value = SessionDescription<String>> {
    (
        (
            token(),
            re("[0-9]{1,20}"),
            re("[0-9]{1,20}"),
            re("[0-9.]{1,15}"),
        ),
        re("[ -~]{1,20}"),
        proptest::option::of(connection()),
        proptest::collection::vec(bandwidth(), 0..2),
        proptest::collection::vec((any::<u64>(), any::<u64>()), 1..3),
        proptest::collection::vec(attribute(), 0..8),
        proptest::collection::vec(media(), 0..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |((user, id, version, addr), name, conn, bws, times, attrs, media, lf, final_eol)| {
                let mut lines = Vec::new();
                lines.extend(conn.map(Line::Connection));
                lines.extend(bws.into_iter().map(Line::Bandwidth));
                lines.extend(
                    times
                        .into_iter()
                        .map(|(start, stop)| Line::Timing(Timing { start, stop })),
                );
                lines.extend(attrs.into_iter().map(Line::Attribute));
                SessionDescription {
                    origin: OriginLine::Parsed(Origin {
                        username: user,
                        session_id: id,
                        session_version: version,
                        net_type: "IN".into(),
                        addr_type: "IP4".into(),
                        unicast_address: addr,
                    }),
                    session_name: Some(name),
                    lines,
                    media,
                    line_ending: if lf { LineEnding::Lf } else { LineEnding::CrLf },
                    final_line_ending: final_eol,
                    trailing_whitespace: Vec::new(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn written_descriptions_parse_back_to_themselves(s in session()) {
        let text = s.to_string();
        let parsed = SessionDescription::parse_with(&text, sdp_parse::Mode::Strict);
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        prop_assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let mut bytes = Vec::new();
        parsed.description.write_to(&mut bytes);
        prop_assert_eq!(bytes, text.as_bytes());
        prop_assert_eq!(&parsed.description.into_owned(), &s);
    }

    #[test]
    fn lenient_parse_write_parse_is_stable(header in prop_oneof![
            Just("o=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"),
            // What RTSP cameras send: no o=, a cut-short o=, no s=.
            Just("s=-\r\n"),
            Just("o=- 1001 1 IN \r\ns=-\r\n"),
            Just("o=- 1 2 IN IP4 127.0.0.1\r\n"),
            Just(""),
        ], lines in proptest::collection::vec(
        prop_oneof![
            re("a=[a-z-]{1,12}(:[ -~]{0,30})?"),
            re("[a-z]=[ -~]{0,30}"),
            re("[ -~]{0,10}"),
        ], 0..20)) {
        let text = format!("v=0\r\n{header}t=0 0\r\n{}", lines.join("\r\n"));
        if let Ok(p) = SessionDescription::parse_lenient(&text) {
            let written = p.description.to_string();
            prop_assert_eq!(&written, &text, "lenient parsing is lossless");
            let again = SessionDescription::parse_lenient(&written).unwrap();
            prop_assert_eq!(again.description, p.description);
        }
    }
}
