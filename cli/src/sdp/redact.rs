//! `--redact`: mask what identifies a host or a session so an SDP can be pasted into a
//! bug tracker, keeping everything else byte for byte.
//!
//! Masking is stable within one description: the same value always gets the same mask, so
//! the structure (which candidates share an address, which sections share a ufrag, which
//! SSRCs share a CNAME) survives. Masks stay valid for their grammar, so the result still
//! parses: IPv4 addresses come from TEST-NET-1 (RFC 5737), IPv6 addresses from the
//! documentation prefix (RFC 3849), `ice-ufrag`/`ice-pwd` keep RFC 8839 §5.4 lengths and
//! charset, fingerprints keep their hash function and byte count (RFC 8122 §5). Unspecified
//! addresses (`0.0.0.0`, `::`) say nothing about a host and are kept.

use std::collections::HashMap;

/// One kind of value, with its own numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Ipv4,
    Ipv6,
    Hostname,
    Ufrag,
    Pwd,
    Fingerprint,
    Cname,
    Key,
}

#[derive(Debug, Default)]
struct Masks {
    seen: HashMap<(Kind, String), usize>,
    counts: HashMap<Kind, usize>,
}

impl Masks {
    /// The 1-based number of `value` within its kind, stable for repeated values.
    fn number(&mut self, kind: Kind, value: &str) -> usize {
        let next = self.counts.entry(kind).or_insert(0);
        *self
            .seen
            .entry((kind, value.to_owned()))
            .or_insert_with(|| {
                *next += 1;
                *next
            })
    }

    /// An address or host name (connection address, candidate address, raddr).
    fn address(&mut self, value: &str) -> String {
        if value == "0.0.0.0" || value == "::" || value == "-" {
            return value.to_owned();
        }
        if value.parse::<std::net::Ipv4Addr>().is_ok() {
            let n = self.number(Kind::Ipv4, value);
            // TEST-NET-1 has 254 usable hosts; past that, TEST-NET-2 and -3 follow.
            let (net, host) = match (n - 1) / 254 {
                0 => ("192.0.2", n),
                1 => ("198.51.100", n - 254),
                _ => ("203.0.113", (n - 1) % 254 + 1),
            };
            return format!("{net}.{host}");
        }
        if value.parse::<std::net::Ipv6Addr>().is_ok() {
            let n = self.number(Kind::Ipv6, value);
            return format!("2001:db8::{n:x}");
        }
        let n = self.number(Kind::Hostname, value);
        if value.ends_with(".local") {
            // mDNS names (RFC 8839 §4.1.1.1 / draft-ietf-mmusic-mdns-ice-candidates) stay mDNS names.
            format!("redacted-{n}.local")
        } else {
            format!("host-{n}.example")
        }
    }

    /// ice-ufrag: 4 to 256 ice-chars (RFC 8839 §5.4).
    fn ufrag(&mut self, value: &str) -> String {
        format!("uf{:02}", self.number(Kind::Ufrag, value))
    }

    /// ice-pwd: 22 to 256 ice-chars (RFC 8839 §5.4).
    fn pwd(&mut self, value: &str) -> String {
        format!("redactedpassword{:06}", self.number(Kind::Pwd, value))
    }

    fn cname(&mut self, value: &str) -> String {
        format!("cname-{}", self.number(Kind::Cname, value))
    }

    /// A fingerprint's hex bytes: same count, value `00:…:NN`.
    fn fingerprint(&mut self, value: &str) -> String {
        let n = self.number(Kind::Fingerprint, value);
        let bytes = value.split(':').count();
        let mut out = String::with_capacity(value.len());
        for i in 0..bytes {
            if i > 0 {
                out.push(':');
            }
            let b = if i + 1 == bytes { n % 256 } else { 0 };
            out.push_str(&format!("{b:02X}"));
        }
        out
    }

    /// SDES key material (RFC 4568 §9.1 `inline:`): same length, base64 `A`s and a number.
    fn key(&mut self, value: &str) -> String {
        let n = self.number(Kind::Key, value).to_string();
        let keep = value.len().saturating_sub(n.len());
        format!("{}{n}", "A".repeat(keep))
    }
}

/// Returns `text` with addresses, ICE credentials, fingerprints, CNAMEs and SDES keys masked.
/// Line endings and every other byte are kept.
#[must_use]
pub fn redact(text: &str) -> String {
    let mut masks = Masks::default();
    // CNAMEs first: producers reuse them elsewhere (GStreamer's msid stream id is its CNAME),
    // and every occurrence must go.
    let mut cnames: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some((_, cname)) = line.trim_end_matches('\r').split_once(" cname:") {
            let mask = masks.cname(cname);
            if cname.len() >= 4 && !cnames.iter().any(|(c, _)| c == cname) {
                cnames.push((cname.to_owned(), mask));
            }
        }
    }
    // Longest first, so a CNAME that contains another is replaced whole.
    cnames.sort_by_key(|c| std::cmp::Reverse(c.0.len()));
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = split_ending(line);
        let mut redacted = redact_line(&mut masks, body);
        for (cname, mask) in &cnames {
            if redacted.contains(cname.as_str()) {
                redacted = redacted.replace(cname.as_str(), mask);
            }
        }
        out.push_str(&redacted);
        out.push_str(end);
    }
    out
}

fn split_ending(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\r', '\n']);
    (body, &line[body.len()..])
}

fn redact_line(m: &mut Masks, line: &str) -> String {
    if let Some(rest) = line.strip_prefix("c=") {
        // c=<nettype> <addrtype> <connection-address>[/ttl[/n]] (RFC 8866 §5.7)
        return format!(
            "c={}",
            replace_field(rest, 2, |a| with_suffix(a, |x| m.address(x)))
        );
    }
    if let Some(rest) = line.strip_prefix("o=") {
        // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (§5.2)
        return format!("o={}", replace_field(rest, 5, |a| m.address(a)));
    }
    let Some(attr) = line.strip_prefix("a=") else {
        return line.to_owned();
    };
    let (name, value) = attr.split_once(':').unwrap_or((attr, ""));
    let redacted = match name {
        "candidate" => candidate(m, value),
        "ice-ufrag" => m.ufrag(value),
        "ice-pwd" => m.pwd(value),
        "fingerprint" => replace_field(value, 1, |f| m.fingerprint(f)),
        // a=rtcp:<port> [<nettype> <addrtype> <connection-address>] (RFC 3605)
        "rtcp" => replace_field(value, 3, |a| m.address(a)),
        // a=remote-candidates: (<component> <address> <port>)+ (RFC 8839 §5.2)
        "remote-candidates" => map_fields(value, |i, f| {
            if i % 3 == 1 {
                m.address(f)
            } else {
                f.to_owned()
            }
        }),
        "ssrc" => ssrc(m, value),
        "crypto" => crypto(m, value),
        _ => return line.to_owned(),
    };
    if attr.contains(':') {
        format!("a={name}:{redacted}")
    } else {
        line.to_owned()
    }
}

/// a=candidate (RFC 8839 §5.1): the connection address, `raddr` and the `ufrag` extension.
fn candidate(m: &mut Masks, value: &str) -> String {
    let mut prev = "";
    map_fields(value, |i, f| {
        let out = if i == 4 || prev == "raddr" {
            m.address(f)
        } else if prev == "ufrag" {
            m.ufrag(f)
        } else {
            f.to_owned()
        };
        prev = if i >= 6 { f } else { "" };
        out
    })
}

/// a=ssrc:<id> cname:<value> (RFC 5576 §4.1, RFC 7022).
fn ssrc(m: &mut Masks, value: &str) -> String {
    match value.split_once(' ') {
        Some((id, rest)) => match rest.strip_prefix("cname:") {
            Some(cname) => format!("{id} cname:{}", m.cname(cname)),
            None => value.to_owned(),
        },
        None => value.to_owned(),
    }
}

/// a=crypto:<tag> <suite> inline:<key||salt>[|lifetime][|MKI:length] ... (RFC 4568 §9.1)
fn crypto(m: &mut Masks, value: &str) -> String {
    map_fields(value, |_, f| match f.strip_prefix("inline:") {
        Some(params) => match params.split_once('|') {
            Some((key, rest)) => format!("inline:{}|{rest}", m.key(key)),
            None => format!("inline:{}", m.key(params)),
        },
        None => f.to_owned(),
    })
}

/// Applies `f` to the part of an address before `/ttl/n`.
fn with_suffix(field: &str, f: impl FnOnce(&str) -> String) -> String {
    match field.split_once('/') {
        Some((addr, suffix)) => format!("{}/{suffix}", f(addr)),
        None => f(field),
    }
}

/// Replaces the space-separated field `index` (0-based), keeping the separators.
fn replace_field(value: &str, index: usize, f: impl FnOnce(&str) -> String) -> String {
    let mut f = Some(f);
    map_fields(value, |i, field| {
        match (i == index).then(|| f.take()).flatten() {
            Some(f) => f(field),
            None => field.to_owned(),
        }
    })
}

/// Maps every space-separated field with its index, keeping the exact separators.
fn map_fields<'a>(value: &'a str, mut f: impl FnMut(usize, &'a str) -> String) -> String {
    let mut out = String::with_capacity(value.len());
    let mut index = 0;
    for (i, part) in value.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if part.is_empty() {
            continue;
        }
        out.push_str(&f(index, part));
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_are_stable_and_keep_structure() {
        let sdp = "v=0\r\no=- 1 2 IN IP4 10.1.2.3\r\ns=-\r\nt=0 0\r\n\
            m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 10.1.2.3\r\n\
            a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n\
            a=fingerprint:sha-256 AB:CD:EF\r\n\
            a=candidate:1 1 udp 2122260223 10.1.2.3 5000 typ host ufrag abcd\r\n\
            a=candidate:2 1 udp 1686052607 203.0.113.9 6000 typ srflx raddr 10.1.2.3 rport 5000\r\n\
            a=candidate:3 1 udp 2122262783 2001:db8:1::5 5001 typ host\r\n\
            a=candidate:4 1 udp 2122262783 5e1b3c4a-6b2f-4f6e-9d3c-1a2b3c4d5e6f.local 5002 typ host\r\n\
            a=ssrc:1 cname:secret\r\na=ssrc:2 cname:secret\r\na=ssrc:2 msid:secret track\r\n\
            a=rtcp:9 IN IP4 0.0.0.0\r\n";
        let out = redact(sdp);
        for secret in [
            "10.1.2.3",
            "203.0.113.9",
            "abcd",
            "0123456789012345678901",
            "AB:CD:EF",
            "secret",
            "5e1b3c4a",
            "2001:db8:1::5",
        ] {
            assert!(!out.contains(secret), "{secret} left in:\n{out}");
        }
        assert!(out.contains("o=- 1 2 IN IP4 192.0.2.1\r\n"));
        assert!(out.contains("c=IN IP4 192.0.2.1\r\n"));
        assert!(out.contains("a=ice-ufrag:uf01\r\n"));
        assert!(out.contains("a=ice-pwd:redactedpassword000001\r\n"));
        assert!(out.contains("a=fingerprint:sha-256 00:00:01\r\n"));
        assert!(out.contains("192.0.2.1 5000 typ host ufrag uf01\r\n"));
        assert!(out.contains("192.0.2.2 6000 typ srflx raddr 192.0.2.1 rport 5000\r\n"));
        assert!(out.contains("2001:db8::1 5001 typ host\r\n"));
        assert!(out.contains("redacted-1.local 5002 typ host\r\n"));
        assert!(out.contains(
            "a=ssrc:1 cname:cname-1\r\na=ssrc:2 cname:cname-1\r\na=ssrc:2 msid:cname-1 track\r\n"
        ));
        assert!(out.contains("a=rtcp:9 IN IP4 0.0.0.0\r\n"));
        assert_eq!(out.lines().count(), sdp.lines().count());
    }

    #[test]
    fn crypto_keys_keep_their_length() {
        let line = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32";
        let out = redact(line);
        assert_eq!(out.len(), line.len());
        assert!(
            out.ends_with("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1|2^20|1:32"),
            "{out}"
        );
    }
}
