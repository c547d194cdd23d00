//! Property: for every typed attribute, `parse(build(attrs)) == attrs`, whatever the padding
//! byte, and MESSAGE-INTEGRITY(-SHA256) + FINGERPRINT appended by the builder verify.

use std::net::{IpAddr, SocketAddr};

use proptest::prelude::*;
use stun_turn_codec::attribute::{
    AddressErrorCode, AddressFamily, Attribute, AttributeType, ErrorCode, Icmp, PasswordAlgorithm,
    PasswordAlgorithmId,
};
use stun_turn_codec::{
    Class, IntegrityKey, Message, MessageBuilder, MessageType, Method, TransactionId,
};

/// An owned description of one attribute, turned into a borrowed [`Attribute`] on demand.
#[derive(Debug, Clone)]
enum Spec {
    Addr(u8, SocketAddr),
    Text(u8, String),
    Bytes(u8, Vec<u8>),
    U32(u8, u32),
    U64(u8, u64),
    Flag(u8),
    UserHash([u8; 32]),
    ErrorCode(u16, String),
    AddressErrorCode(AddressFamily, u16, String),
    PasswordAlgorithms(Vec<u8>),
    PasswordAlgorithm(u16, Vec<u8>),
    UnknownAttributes(Vec<u8>),
    Family(u8, AddressFamily),
    EvenPort(bool),
    RequestedTransport(u8),
    Icmp(u8, u8, u32),
    ChangeRequest(bool, bool),
    U16(u8, u16),
    Unknown(u16, Vec<u8>),
}

impl Spec {
    fn attr(&self) -> Attribute<'_> {
        match self {
            Self::Addr(k, a) => match k % 8 {
                0 => Attribute::MappedAddress(*a),
                1 => Attribute::XorMappedAddress(*a),
                2 => Attribute::XorMappedAddressLegacy(*a),
                3 => Attribute::AlternateServer(*a),
                4 => Attribute::XorPeerAddress(*a),
                5 => Attribute::XorRelayedAddress(*a),
                6 => Attribute::ResponseOrigin(*a),
                _ => Attribute::OtherAddress(*a),
            },
            Self::Text(k, s) => match k % 5 {
                0 => Attribute::Username(s),
                1 => Attribute::Realm(s),
                2 => Attribute::Nonce(s),
                3 => Attribute::Software(s),
                _ => Attribute::AlternateDomain(s),
            },
            Self::Bytes(k, v) => match k % 3 {
                0 => Attribute::Data(v),
                1 => Attribute::Padding(v),
                _ => Attribute::AccessToken(v),
            },
            Self::U32(k, x) => match k % 5 {
                0 => Attribute::Priority(*x),
                1 => Attribute::Lifetime(*x),
                2 => Attribute::ConnectionId(*x),
                3 => Attribute::CacheTimeout(*x),
                _ => Attribute::Priority(*x),
            },
            Self::U64(k, x) => match k % 3 {
                0 => Attribute::IceControlled(*x),
                1 => Attribute::IceControlling(*x),
                _ => Attribute::ReservationToken(*x),
            },
            Self::Flag(k) => {
                if k % 2 == 0 {
                    Attribute::UseCandidate
                } else {
                    Attribute::DontFragment
                }
            }
            Self::UserHash(h) => Attribute::UserHash(h),
            Self::ErrorCode(code, reason) => Attribute::ErrorCode(ErrorCode {
                code: *code,
                reason,
            }),
            Self::AddressErrorCode(family, code, reason) => {
                Attribute::AddressErrorCode(AddressErrorCode {
                    family: *family,
                    code: *code,
                    reason,
                })
            }
            Self::PasswordAlgorithms(v) => {
                // Built valid by the strategy; decode it to get the typed value.
                let raw = stun_turn_codec::RawAttribute {
                    attr_type: AttributeType::PASSWORD_ALGORITHMS,
                    value: v,
                    offset: 0,
                };
                Attribute::decode(raw, &TransactionId::default()).unwrap()
            }
            Self::PasswordAlgorithm(alg, params) => {
                Attribute::PasswordAlgorithm(PasswordAlgorithm {
                    algorithm: PasswordAlgorithmId(*alg),
                    parameters: params,
                })
            }
            Self::UnknownAttributes(v) => Attribute::decode(
                stun_turn_codec::RawAttribute {
                    attr_type: AttributeType::UNKNOWN_ATTRIBUTES,
                    value: v,
                    offset: 0,
                },
                &TransactionId::default(),
            )
            .unwrap(),
            Self::Family(k, f) => {
                if k % 2 == 0 {
                    Attribute::RequestedAddressFamily(*f)
                } else {
                    Attribute::AdditionalAddressFamily(*f)
                }
            }
            Self::EvenPort(r) => Attribute::EvenPort(*r),
            Self::RequestedTransport(p) => Attribute::RequestedTransport(*p),
            Self::Icmp(t, c, d) => Attribute::Icmp(Icmp {
                icmp_type: *t,
                code: *c,
                data: *d,
            }),
            Self::ChangeRequest(ip, port) => Attribute::ChangeRequest {
                change_ip: *ip,
                change_port: *port,
            },
            Self::U16(k, x) => {
                if k % 2 == 0 {
                    Attribute::ChannelNumber(*x)
                } else {
                    Attribute::ResponsePort(*x)
                }
            }
            Self::Unknown(t, v) => Attribute::Unknown {
                attr_type: AttributeType(*t),
                value: v,
            },
        }
    }
}

fn addr() -> impl Strategy<Value = SocketAddr> {
    prop_oneof![
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, p)| SocketAddr::new(IpAddr::from(ip), p)),
        (any::<[u8; 16]>(), any::<u16>()).prop_map(|(ip, p)| SocketAddr::new(IpAddr::from(ip), p)),
    ]
}

fn family() -> impl Strategy<Value = AddressFamily> {
    prop_oneof![Just(AddressFamily::V4), Just(AddressFamily::V6)]
}

fn text(max_chars: usize) -> impl Strategy<Value = String> {
    // Up to 4 bytes per char keeps the byte limits of RFC 8489 (508 / 763 / 255 bytes).
    proptest::collection::vec(any::<char>(), 0..max_chars).prop_map(|v| v.into_iter().collect())
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        (any::<u8>(), addr()).prop_map(|(k, a)| Spec::Addr(k, a)),
        (0u8..4, text(120)).prop_map(|(k, s)| Spec::Text(k, s)),
        text(60).prop_map(|s| Spec::Text(4, s)),
        (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..300))
            .prop_map(|(k, v)| Spec::Bytes(k, v)),
        (any::<u8>(), any::<u32>()).prop_map(|(k, x)| Spec::U32(k, x)),
        (any::<u8>(), any::<u64>()).prop_map(|(k, x)| Spec::U64(k, x)),
        any::<u8>().prop_map(Spec::Flag),
        any::<[u8; 32]>().prop_map(Spec::UserHash),
        (300u16..700, text(100)).prop_map(|(c, r)| Spec::ErrorCode(c, r)),
        (family(), 300u16..700, text(100)).prop_map(|(f, c, r)| Spec::AddressErrorCode(f, c, r)),
        proptest::collection::vec(
            (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..9)),
            0..4
        )
        .prop_map(|algs| {
            let mut v = Vec::new();
            for (a, p) in algs {
                v.extend(a.to_be_bytes());
                v.extend((p.len() as u16).to_be_bytes());
                v.extend(&p);
                v.resize(v.len() + (4 - p.len() % 4) % 4, 0);
            }
            Spec::PasswordAlgorithms(v)
        }),
        (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(a, p)| Spec::PasswordAlgorithm(a, p)),
        proptest::collection::vec(any::<u16>(), 0..6).prop_map(|t| Spec::UnknownAttributes(
            t.iter().flat_map(|x| x.to_be_bytes()).collect()
        )),
        (any::<u8>(), family()).prop_map(|(k, f)| Spec::Family(k, f)),
        any::<bool>().prop_map(Spec::EvenPort),
        any::<u8>().prop_map(Spec::RequestedTransport),
        (any::<u8>(), any::<u8>(), any::<u32>()).prop_map(|(t, c, d)| Spec::Icmp(t, c, d)),
        (any::<bool>(), any::<bool>()).prop_map(|(a, b)| Spec::ChangeRequest(a, b)),
        (any::<u8>(), any::<u16>()).prop_map(|(k, x)| Spec::U16(k, x)),
        (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..64))
            .prop_filter("not a typed attribute", |(t, _)| !AttributeType(*t)
                .is_typed())
            .prop_map(|(t, v)| Spec::Unknown(t, v)),
    ]
}

fn class() -> impl Strategy<Value = Class> {
    prop_oneof![
        Just(Class::Request),
        Just(Class::Indication),
        Just(Class::SuccessResponse),
        Just(Class::ErrorResponse)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn typed_attributes_round_trip(
        specs in proptest::collection::vec(spec(), 0..8),
        class in class(),
        method in 0u16..0x1000,
        tid in any::<[u8; 12]>(),
        padding in any::<u8>(),
        password in "[ -~]{0,24}",
        sha256 in any::<bool>(),
    ) {
        let mt = MessageType::new(class, Method::new(method).unwrap());
        let tid = TransactionId(tid);
        let attrs: Vec<Attribute<'_>> = specs.iter().map(Spec::attr).collect();
        let key = IntegrityKey::short_term(&password).unwrap();
        let mut buf = Vec::new();
        let mut b = MessageBuilder::with_type(&mut buf, mt, tid);
        b.padding_byte(padding);
        for a in &attrs {
            b.attribute(a);
        }
        if sha256 {
            b.message_integrity_sha256(&key);
        } else {
            b.message_integrity(&key);
        }
        b.fingerprint();
        let len = b.finish().unwrap();
        prop_assert_eq!(len, buf.len());

        let msg = Message::parse(&buf).unwrap();
        prop_assert_eq!(msg.message_type(), mt);
        prop_assert_eq!(msg.transaction_id(), tid);
        let decoded: Vec<Attribute<'_>> = msg.typed_attributes().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(&decoded[..attrs.len()], &attrs[..]);
        prop_assert_eq!(decoded.len(), attrs.len() + 2);
        msg.verify_integrity(&key).unwrap();
        msg.verify_fingerprint().unwrap();

        // The fast getters agree with the first decoded attribute of their type.
        let first = |f: &dyn Fn(&Attribute<'_>) -> bool| attrs.iter().copied().find(|a| f(a));
        prop_assert_eq!(
            msg.username().unwrap(),
            first(&|a| matches!(a, Attribute::Username(_))).map(|a| match a { Attribute::Username(s) => s, _ => unreachable!() })
        );
        prop_assert_eq!(
            msg.priority().unwrap(),
            first(&|a| matches!(a, Attribute::Priority(_))).map(|a| match a { Attribute::Priority(p) => p, _ => unreachable!() })
        );
        prop_assert_eq!(
            msg.ice_controlling().unwrap(),
            first(&|a| matches!(a, Attribute::IceControlling(_))).map(|a| match a { Attribute::IceControlling(p) => p, _ => unreachable!() })
        );
        prop_assert_eq!(
            msg.ice_controlled().unwrap(),
            first(&|a| matches!(a, Attribute::IceControlled(_))).map(|a| match a { Attribute::IceControlled(p) => p, _ => unreachable!() })
        );
        prop_assert_eq!(msg.use_candidate(), attrs.iter().any(|a| matches!(a, Attribute::UseCandidate)));
        let xor = first(&|a| matches!(a, Attribute::XorMappedAddress(_)))
            .or_else(|| first(&|a| matches!(a, Attribute::XorMappedAddressLegacy(_))))
            .map(|a| match a { Attribute::XorMappedAddress(x) | Attribute::XorMappedAddressLegacy(x) => x, _ => unreachable!() });
        prop_assert_eq!(msg.xor_mapped_address().unwrap(), xor);
        prop_assert_eq!(
            msg.realm().unwrap(),
            first(&|a| matches!(a, Attribute::Realm(_))).map(|a| match a { Attribute::Realm(s) => s, _ => unreachable!() })
        );

        // Re-encoding the decoded attributes (integrity values included) reproduces the bytes.
        let mut again = Vec::new();
        let mut b = MessageBuilder::with_type(&mut again, mt, tid);
        b.padding_byte(padding);
        for a in &decoded {
            b.attribute(a);
        }
        b.finish().unwrap();
        prop_assert_eq!(again, buf);
    }
}
