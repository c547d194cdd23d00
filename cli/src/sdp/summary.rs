//! The human-readable summary of `sdp-inspect FILE`.

use std::io::{self, Write};

use sdp_parse::check::Role;
use sdp_parse::{Attribute, Line, LineEnding, MediaDescription, OriginLine, SessionDescription};

use super::render::Style;
use super::Sdp;

fn kv(out: &mut dyn Write, style: Style, key: &str, value: &str) -> io::Result<()> {
    writeln!(out, "  {} {value}", style.bold(&format!("{key:<11}")))
}

fn more(out: &mut dyn Write, value: &str) -> io::Result<()> {
    writeln!(out, "  {:<11} {value}", "")
}

pub(super) fn write(
    out: &mut dyn Write,
    style: Style,
    name: &str,
    bytes: usize,
    sdp: &SessionDescription<Sdp<'_>>,
    role: Role,
) -> io::Result<()> {
    let role = match role {
        Role::Offer => "offer",
        Role::Answer => "answer",
        Role::Unknown => "session description",
    };
    let ending = match sdp.line_ending {
        LineEnding::CrLf => "CRLF",
        LineEnding::Lf => "LF",
    };
    writeln!(
        out,
        "{}: {role}, {} media section{}, {bytes} bytes, {ending} line endings",
        style.bold(name),
        sdp.media.len(),
        if sdp.media.len() == 1 { "" } else { "s" }
    )?;
    writeln!(out, "\n{}", style.green("session"))?;
    let origin = match &sdp.origin {
        OriginLine::Parsed(o) => format!(
            "{} {} {} {} {} {}",
            o.username, o.session_id, o.session_version, o.net_type, o.addr_type, o.unicast_address
        ),
        OriginLine::Malformed(v) => format!("{v} (malformed)"),
        OriginLine::Missing => String::from("(missing)"),
    };
    kv(out, style, "origin", &origin)?;
    kv(
        out,
        style,
        "name",
        sdp.session_name.as_deref().unwrap_or("(missing)"),
    )?;
    for t in sdp.timings() {
        let note = if t.start == 0 && t.stop == 0 {
            " (unbounded)"
        } else {
            ""
        };
        kv(
            out,
            style,
            "timing",
            &format!("{} {}{note}", t.start, t.stop),
        )?;
    }
    for c in sdp.connections() {
        kv(
            out,
            style,
            "connection",
            &format!("{} {} {}", c.net_type, c.addr_type, c.address),
        )?;
    }
    for b in sdp.bandwidths() {
        kv(
            out,
            style,
            "bandwidth",
            &format!("{}:{}", b.bw_type, b.bandwidth),
        )?;
    }
    for g in sdp.groups() {
        let mids: Vec<&str> = g.mids().collect();
        kv(
            out,
            style,
            &format!("group {}", g.semantics),
            &mids.join(" "),
        )?;
    }
    if let Some(ms) = sdp.msid_semantic() {
        let ids: Vec<&str> = ms.ids().collect();
        kv(
            out,
            style,
            "msid-sem.",
            &format!("{} {}", ms.semantic, ids.join(" ")),
        )?;
    }
    let mut flags = Vec::new();
    if sdp.extmap_allow_mixed() {
        flags.push("extmap-allow-mixed");
    }
    if sdp.ice_lite() {
        flags.push("ice-lite");
    }
    if let Some(d) = sdp.direction_attribute() {
        flags.push(d.as_str());
    }
    if !flags.is_empty() {
        kv(out, style, "flags", &flags.join(" "))?;
    }
    transport(
        out,
        style,
        sdp_lines_ice(sdp),
        sdp.fingerprints().collect(),
        sdp.setup().map(|s| s.as_str()),
    )?;
    for l in &sdp.lines {
        other_line(out, style, l)?;
    }

    let session_dir = sdp.direction_attribute().unwrap_or_default();
    // Each mid's BUNDLE role, found once (a per-section scan of every group is quadratic).
    let mut bundle_roles: std::collections::HashMap<&str, Vec<&'static str>> =
        std::collections::HashMap::new();
    for g in sdp.bundle_groups() {
        for (k, mid) in g.mids().enumerate() {
            let role = if k == 0 { "BUNDLE tag" } else { "bundled" };
            bundle_roles.entry(mid).or_default().push(role);
        }
    }
    for (i, m) in sdp.media.iter().enumerate() {
        media(out, style, &bundle_roles, i, m, session_dir)?;
    }
    Ok(())
}

struct Ice<'s> {
    ufrag: Option<&'s str>,
    pwd: Option<&'s str>,
    options: Option<&'s str>,
}

fn sdp_lines_ice<'s>(sdp: &'s SessionDescription<Sdp<'_>>) -> Ice<'s> {
    Ice {
        ufrag: sdp.ice_ufrag(),
        pwd: sdp.ice_pwd(),
        options: sdp.ice_options(),
    }
}

fn transport(
    out: &mut dyn Write,
    style: Style,
    ice: Ice<'_>,
    fingerprints: Vec<&sdp_parse::Fingerprint<Sdp<'_>>>,
    setup: Option<&str>,
) -> io::Result<()> {
    if ice.ufrag.is_some() || ice.pwd.is_some() || ice.options.is_some() {
        let mut s = String::new();
        if let Some(u) = ice.ufrag {
            s.push_str(&format!("ufrag {u}  "));
        }
        if let Some(p) = ice.pwd {
            s.push_str(&format!("pwd {p}  "));
        }
        if let Some(o) = ice.options {
            s.push_str(&format!("options {o}"));
        }
        kv(out, style, "ICE", s.trim_end())?;
    }
    if let Some(s) = setup {
        kv(out, style, "DTLS setup", s)?;
    }
    for f in fingerprints {
        kv(
            out,
            style,
            "fingerprint",
            &format!("{} {}", f.hash_function, f.fingerprint),
        )?;
    }
    Ok(())
}

/// Lines the summary does not show elsewhere (unknown, malformed, other attributes).
fn other_line(out: &mut dyn Write, style: Style, l: &Line<Sdp<'_>>) -> io::Result<()> {
    match l {
        Line::Attribute(
            a @ (Attribute::Other { .. }
            | Attribute::Crypto(_)
            | Attribute::Label(_)
            | Attribute::Content(_)
            | Attribute::Imageattr(_)
            | Attribute::TlsId(_)
            | Attribute::Identity(_)
            | Attribute::RtcpXr(_)
            | Attribute::Ptime(_)
            | Attribute::Maxptime(_)
            | Attribute::Framerate(_)
            | Attribute::RemoteCandidates(_)
            | Attribute::Connection(_)
            | Attribute::IceMismatch),
        ) => kv(out, style, "attribute", &format!("a={a}")),
        Line::Information(s) => kv(out, style, "info", s),
        Line::Uri(s) => kv(out, style, "uri", s),
        Line::Email(s) => kv(out, style, "email", s),
        Line::Phone(s) => kv(out, style, "phone", s),
        Line::Repeat(s) => kv(out, style, "repeat", s),
        Line::TimeZones(s) => kv(out, style, "time zones", s),
        Line::Key(s) => kv(out, style, "key", s),
        Line::Unknown { kind, value } => kv(out, style, "unknown", &format!("{kind}={value}")),
        Line::Malformed(s) => kv(out, style, "malformed", s),
        _ => Ok(()),
    }
}

fn media(
    out: &mut dyn Write,
    style: Style,
    bundle_roles: &std::collections::HashMap<&str, Vec<&'static str>>,
    i: usize,
    m: &MediaDescription<Sdp<'_>>,
    session_dir: sdp_parse::Direction,
) -> io::Result<()> {
    let ml = &m.media_line;
    let mut head = format!("[{i}] {}", ml.media);
    if let Some(mid) = m.mid() {
        head.push_str(&format!("  mid {mid}"));
    }
    head.push_str(&format!("  {}", m.direction_or(session_dir)));
    let port = match ml.port_count {
        Some(n) => format!("{}/{n}", ml.port),
        None => ml.port.to_string(),
    };
    head.push_str(&format!("  port {port}  {}", ml.proto));
    let mut notes = Vec::new();
    if let Some(roles) = m.mid().and_then(|mid| bundle_roles.get(mid)) {
        notes.extend(roles.iter().copied());
    }
    if m.bundle_only() {
        notes.push("bundle-only");
    } else if m.is_rejected() {
        notes.push("rejected");
    }
    if !notes.is_empty() {
        head.push_str(&format!("  ({})", notes.join(", ")));
    }
    writeln!(out, "\n{}", style.green(&head))?;

    for c in m.connections() {
        kv(
            out,
            style,
            "connection",
            &format!("{} {} {}", c.net_type, c.addr_type, c.address),
        )?;
    }
    for b in m.bandwidths() {
        kv(
            out,
            style,
            "bandwidth",
            &format!("{}:{}", b.bw_type, b.bandwidth),
        )?;
    }
    transport(
        out,
        style,
        Ice {
            ufrag: m.ice_ufrag(),
            pwd: m.ice_pwd(),
            options: m.ice_options(),
        },
        m.fingerprints().collect(),
        m.setup().map(|s| s.as_str()),
    )?;
    let mut rtcp = Vec::new();
    if m.rtcp_mux() {
        rtcp.push("rtcp-mux".to_owned());
    }
    if m.rtcp_mux_only() {
        rtcp.push("rtcp-mux-only".to_owned());
    }
    if m.rtcp_rsize() {
        rtcp.push("rtcp-rsize".to_owned());
    }
    if let Some(r) = m.rtcp() {
        match &r.connection {
            Some(c) => rtcp.push(format!(
                "port {} {} {} {}",
                r.port, c.net_type, c.addr_type, c.address
            )),
            None => rtcp.push(format!("port {}", r.port)),
        }
    }
    if !rtcp.is_empty() {
        kv(out, style, "RTCP", &rtcp.join("  "))?;
    }
    if ml.is_rtp() {
        codecs(out, style, m)?;
    }
    let mut first = true;
    for e in m.extmaps() {
        let dir = e.direction.map(|d| format!("/{d}")).unwrap_or_default();
        let line = format!("{:>3}{dir} {}", e.id, e.uri);
        if first {
            kv(out, style, "extmap", &line)?;
            first = false;
        } else {
            more(out, &line)?;
        }
    }
    for msid in m.msids() {
        kv(
            out,
            style,
            "msid",
            &format!(
                "{} {}",
                msid.stream_id,
                msid.track_id.as_deref().unwrap_or("")
            ),
        )?;
    }
    // One pass: SSRCs in order of first appearance with their attributes.
    let mut order: Vec<u32> = Vec::new();
    let mut attrs: std::collections::HashMap<u32, Vec<String>> = std::collections::HashMap::new();
    for s in m.ssrcs() {
        let text = match &s.value {
            Some(v) => format!("{} {v}", s.attribute),
            None => s.attribute.to_string(),
        };
        attrs
            .entry(s.ssrc)
            .or_insert_with(|| {
                order.push(s.ssrc);
                Vec::new()
            })
            .push(text);
    }
    for ssrc in order {
        let a = attrs.get(&ssrc).map(|v| v.join("  ")).unwrap_or_default();
        kv(out, style, "SSRC", &format!("{ssrc}  {a}"))?;
    }
    for g in m.ssrc_groups() {
        let ssrcs: Vec<String> = g.ssrcs().map(|s| s.to_string()).collect();
        kv(
            out,
            style,
            "ssrc-group",
            &format!("{} {}", g.semantics, ssrcs.join(" ")),
        )?;
    }
    let rids: Vec<String> = m
        .rids()
        .map(|r| match &r.restrictions {
            Some(x) => format!("{} {} {x}", r.id, r.direction.as_str()),
            None => format!("{} {}", r.id, r.direction.as_str()),
        })
        .collect();
    if !rids.is_empty() {
        kv(out, style, "rid", &rids.join("; "))?;
    }
    if let Some(s) = m.simulcast() {
        let mut text = format!("{} {}", s.first.direction.as_str(), s.first.streams);
        if let Some(second) = &s.second {
            text.push_str(&format!(
                "  {} {}",
                second.direction.as_str(),
                second.streams
            ));
        }
        kv(out, style, "simulcast", &text)?;
    }
    let mut first = true;
    for c in m.candidates() {
        let mut line = format!(
            "{} {} {} prio {} foundation {} component {}",
            c.typ(),
            c.transport(),
            host_port(c.address(), c.port()),
            c.priority(),
            c.foundation(),
            c.component()
        );
        if let (Some(a), Some(p)) = (c.raddr(), c.rport()) {
            line.push_str(&format!(" raddr {}", host_port(a, p)));
        }
        if let Some(e) = c.extensions_raw() {
            line.push_str(&format!(" ({e})"));
        }
        if first {
            kv(out, style, "candidates", &line)?;
            first = false;
        } else {
            more(out, &line)?;
        }
    }
    if m.end_of_candidates() {
        if first {
            kv(out, style, "candidates", "end-of-candidates")?;
        } else {
            more(out, "end-of-candidates")?;
        }
    }
    // The pre-RFC 8841 form (`DTLS/SCTP 5000` with `a=sctpmap`), which
    // Plan B Chromium and Jitsi still write, next to the current one.
    let sctpmap = m.attributes().find_map(|a| match a {
        Attribute::Sctpmap(x) => Some(x),
        _ => None,
    });
    if m.sctp_port().is_some() || m.max_message_size().is_some() || sctpmap.is_some() {
        let mut s = String::new();
        if let Some(p) = m.sctp_port() {
            s.push_str(&format!("port {p}  "));
        }
        if let Some(x) = sctpmap {
            s.push_str(&format!("sctpmap port {} {}", x.number, x.app));
            if let Some(n) = x.streams {
                s.push_str(&format!(" streams {n}"));
            }
            s.push_str("  ");
        }
        if let Some(n) = m.max_message_size() {
            s.push_str(&format!("max-message-size {n}"));
        }
        kv(out, style, "SCTP", s.trim_end())?;
    }
    for l in &m.lines {
        other_line(out, style, l)?;
    }
    Ok(())
}

fn codecs(out: &mut dyn Write, style: Style, m: &MediaDescription<Sdp<'_>>) -> io::Result<()> {
    let codecs = m.codecs();
    if codecs.is_empty() {
        return Ok(());
    }
    writeln!(out, "  {}", style.bold("codecs"))?;
    writeln!(
        out,
        "    {}",
        style.dim(&format!(
            "{:>3}  {:<16} {:>6} {:>2}  {:<44} {}",
            "PT", "name", "clock", "ch", "fmtp", "rtcp-fb"
        ))
    )?;
    for c in &codecs {
        let name = c.name().unwrap_or("?");
        let clock = c.clock_rate().map(|r| r.to_string()).unwrap_or_default();
        let ch = c.channels().map(|r| r.to_string()).unwrap_or_default();
        let fmtp = c.fmtp.map(|f| f.params.to_string()).unwrap_or_default();
        let fb: Vec<String> = c
            .feedback
            .iter()
            .map(|f| match &f.params {
                Some(p) => format!("{} {p}", f.feedback.as_str()),
                None => f.feedback.as_str().to_owned(),
            })
            .collect();
        writeln!(
            out,
            "    {:>3}  {:<16} {:>6} {:>2}  {:<44} {}",
            c.payload_type,
            name,
            clock,
            ch,
            fmtp,
            fb.join(", ")
        )?;
    }
    let pairs: Vec<String> = codecs
        .iter()
        .filter(|c| c.is_rtx())
        .map(|c| {
            let target = c.rtx_apt().map_or_else(
                || "?".to_owned(),
                |apt| {
                    let name = codecs
                        .iter()
                        .find(|x| x.payload_type == apt)
                        .and_then(|x| x.name())
                        .unwrap_or("?");
                    format!("{apt} {name}")
                },
            );
            format!("{} -> {target}", c.payload_type)
        })
        .collect();
    for (i, p) in pairs.chunks(4).enumerate() {
        if i == 0 {
            kv(out, style, "RTX", &p.join("   "))?;
        } else {
            more(out, &p.join("   "))?;
        }
    }
    Ok(())
}

/// `host:port`, with an IPv6 address in brackets (RFC 3986 §3.2.2) so that
/// the port cannot be read as the last group of the address.
fn host_port(host: &str, port: impl std::fmt::Display) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}
