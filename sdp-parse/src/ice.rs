//! ICE and DTLS attributes: `candidate` (RFC 8839 §5.1) and `fingerprint`
//! (RFC 8122 §5).

use alloc::format;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use crate::error::{ErrorKind, Fail, PResult};
use crate::text::{field, own, own_opt, token, u16_num, u32_num, write_u64, Str};

/// Candidate type (RFC 8839 §5.1 `cand-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum CandidateType {
    /// `host`
    Host,
    /// `srflx`: server reflexive.
    Srflx,
    /// `prflx`: peer reflexive.
    Prflx,
    /// `relay`: relayed (TURN).
    Relay,
    /// Another token.
    Other,
}

/// `a=candidate:<foundation> <component-id> <transport> <priority>
/// <connection-address> <port> typ <cand-type> [raddr <addr>] [rport <port>]
/// *(<extension-name> <extension-value>)` (RFC 8839 §5.1).
///
/// Extensions (RFC 6544 `tcptype`, and `generation`, `network-id`,
/// `network-cost`, `ufrag` from browsers) are kept in order as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Candidate<'a> {
    /// Foundation: 1–32 `ice-char`s.
    pub foundation: Str<'a>,
    /// Component id, 1–256 (1 = RTP, 2 = RTCP).
    pub component: u16,
    /// Transport (`udp`, `tcp`, case-insensitive).
    pub transport: Str<'a>,
    /// Priority (RFC 8445 §5.1.2).
    pub priority: u32,
    /// IP address or FQDN (e.g. an mDNS `.local` name, RFC 8839 §5.1).
    pub address: Str<'a>,
    /// Port.
    pub port: u16,
    /// Candidate type as written (`host`, `srflx`, `prflx`, `relay` or another token).
    pub typ: Str<'a>,
    /// Related address (`raddr`).
    pub raddr: Option<Str<'a>>,
    /// Related port (`rport`).
    pub rport: Option<u16>,
    /// Extension name/value pairs after the related address/port, as written.
    pub extensions: Option<Str<'a>>,
}

fn is_ice_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

impl<'a> Candidate<'a> {
    /// Parses the value of an `a=candidate:` attribute (also the `candidate`
    /// string of a trickled JSEP candidate, without its `candidate:` prefix).
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let foundation = field(&mut r, v, "candidate foundation")?;
        if foundation.len() > 32 || !foundation.bytes().all(is_ice_char) {
            return Err(Fail::new(
                ErrorKind::InvalidValue,
                foundation,
                format!("candidate foundation \"{foundation}\" must be 1 to 32 letters, digits, '+' or '/'"),
            ));
        }
        let comp = field(&mut r, v, "candidate component-id")?;
        let component = u16_num(comp, "candidate component-id")?;
        if component == 0 || component > 256 || comp.len() > 3 {
            return Err(Fail::new(
                ErrorKind::OutOfRange,
                comp,
                format!("candidate component-id {comp} is out of range (1 to 256)"),
            ));
        }
        let transport = field(&mut r, v, "candidate transport")?;
        token(transport, "candidate transport")?;
        let pr = field(&mut r, v, "candidate priority")?;
        let priority = u32_num(pr, "candidate priority")?;
        let address = field(&mut r, v, "candidate connection-address")?;
        let port = u16_num(field(&mut r, v, "candidate port")?, "candidate port")?;
        let typ_kw = field(&mut r, v, "candidate \"typ\"")?;
        if typ_kw != "typ" {
            return Err(Fail::new(
                ErrorKind::InvalidValue,
                typ_kw,
                format!("expected \"typ\" after the candidate port, found \"{typ_kw}\""),
            ));
        }
        let typ = field(&mut r, v, "candidate type")?;
        token(typ, "candidate type")?;
        let mut raddr = None;
        let mut rport = None;
        let mut rest = r;
        if let Some(s) = rest {
            if let Some(a) = s.strip_prefix("raddr ") {
                let mut t = Some(a);
                raddr = Some(field(&mut t, a, "candidate raddr address")?);
                rest = t;
            }
        }
        if let Some(s) = rest {
            if let Some(p) = s.strip_prefix("rport ") {
                let mut t = Some(p);
                rport = Some(u16_num(
                    field(&mut t, p, "candidate rport port")?,
                    "candidate rport",
                )?);
                rest = t;
            }
        }
        if let Some(ext) = rest {
            let mut t = Some(ext);
            while t.is_some() {
                let name = field(&mut t, ext, "candidate extension name")?;
                token(name, "candidate extension name")?;
                let Some(rest) = t.take() else {
                    return Err(Fail::new(
                        ErrorKind::MissingField,
                        crate::text::end(ext),
                        format!("missing value of candidate extension \"{name}\""),
                    ));
                };
                let (value, next) = crate::text::split_sp(rest);
                if value.is_empty() {
                    return Err(Fail::new(
                        ErrorKind::MissingField,
                        value,
                        format!("missing value of candidate extension \"{name}\""),
                    ));
                }
                t = next;
            }
        }
        Ok(Self {
            foundation: foundation.into(),
            component,
            transport: transport.into(),
            priority,
            address: address.into(),
            port,
            typ: typ.into(),
            raddr: raddr.map(Into::into),
            rport,
            extensions: rest.map(Into::into),
        })
    }

    /// Parses a candidate string, with or without the `candidate:` prefix (as
    /// trickled in JSEP `RTCIceCandidate.candidate`).
    ///
    /// # Errors
    /// A [`crate::Diagnostic`] on line 1 when the text is not a candidate.
    pub fn parse_str(s: &'a str) -> Result<Self, crate::Diagnostic> {
        let v = s.strip_prefix("candidate:").unwrap_or(s);
        Self::parse(v).map_err(|f| crate::parser::locate(s, 0, 1, f, crate::Severity::Error))
    }

    /// The typed candidate type.
    #[must_use]
    pub fn candidate_type(&self) -> CandidateType {
        match &*self.typ {
            "host" => CandidateType::Host,
            "srflx" => CandidateType::Srflx,
            "prflx" => CandidateType::Prflx,
            "relay" => CandidateType::Relay,
            _ => CandidateType::Other,
        }
    }

    /// Extension pairs in order.
    pub fn extensions(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut it = self.extensions.as_deref().unwrap_or("").split(' ');
        core::iter::from_fn(move || {
            let k = it.next().filter(|k| !k.is_empty())?;
            let v = it.next()?;
            Some((k, v))
        })
    }

    /// The value of extension `name`.
    #[must_use]
    pub fn extension(&self, name: &str) -> Option<&str> {
        self.extensions().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// RFC 6544 `tcptype` (`active`, `passive`, `so`).
    #[must_use]
    pub fn tcptype(&self) -> Option<&str> {
        self.extension("tcptype")
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.foundation)?;
        w.write_char(' ')?;
        write_u64(w, u64::from(self.component))?;
        w.write_char(' ')?;
        w.write_str(&self.transport)?;
        w.write_char(' ')?;
        write_u64(w, u64::from(self.priority))?;
        w.write_char(' ')?;
        w.write_str(&self.address)?;
        w.write_char(' ')?;
        write_u64(w, u64::from(self.port))?;
        w.write_str(" typ ")?;
        w.write_str(&self.typ)?;
        if let Some(a) = &self.raddr {
            w.write_str(" raddr ")?;
            w.write_str(a)?;
        }
        if let Some(p) = self.rport {
            w.write_str(" rport ")?;
            write_u64(w, u64::from(p))?;
        }
        if let Some(e) = &self.extensions {
            w.write_char(' ')?;
            w.write_str(e)?;
        }
        Ok(())
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> Candidate<'static> {
        Candidate {
            foundation: own(self.foundation),
            component: self.component,
            transport: own(self.transport),
            priority: self.priority,
            address: own(self.address),
            port: self.port,
            typ: own(self.typ),
            raddr: own_opt(self.raddr),
            rport: self.rport,
            extensions: own_opt(self.extensions),
        }
    }
}

impl fmt::Display for Candidate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

/// Hash functions of `a=fingerprint` (RFC 8122 §5, IANA "Hash Function Textual Names").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashFunction {
    /// `md2` (deprecated)
    Md2,
    /// `md5` (deprecated)
    Md5,
    /// `sha-1`
    Sha1,
    /// `sha-224`
    Sha224,
    /// `sha-256`
    Sha256,
    /// `sha-384`
    Sha384,
    /// `sha-512`
    Sha512,
}

impl HashFunction {
    /// Parses a textual name, case-insensitively (RFC 8122 §5).
    #[must_use]
    pub fn from_name(s: &str) -> Option<Self> {
        const NAMES: [(&str, HashFunction); 7] = [
            ("md2", HashFunction::Md2),
            ("md5", HashFunction::Md5),
            ("sha-1", HashFunction::Sha1),
            ("sha-224", HashFunction::Sha224),
            ("sha-256", HashFunction::Sha256),
            ("sha-384", HashFunction::Sha384),
            ("sha-512", HashFunction::Sha512),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, h)| *h)
    }

    /// Digest length in bytes.
    #[must_use]
    pub const fn digest_len(self) -> usize {
        match self {
            Self::Md2 | Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// `a=fingerprint:<hash-func> <fingerprint>` (RFC 8122 §5): upper-case hex
/// byte pairs separated by colons.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fingerprint<'a> {
    /// Hash function name as written (`sha-256`).
    pub hash_function: Str<'a>,
    /// Colon-separated hex bytes as written (validated).
    pub fingerprint: Str<'a>,
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cold]
#[inline(never)]
fn fingerprint_error(fp: &str) -> Fail<'_> {
    let pair = fp
        .split(':')
        .find(|p| p.len() != 2 || !p.bytes().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or(fp);
    Fail::new(
        ErrorKind::InvalidValue,
        pair,
        format!("fingerprint byte \"{pair}\" is not two hex digits"),
    )
}

impl<'a> Fingerprint<'a> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let hash = field(&mut r, v, "fingerprint hash function")?;
        token(hash, "fingerprint hash function")?;
        let fp = field(&mut r, v, "fingerprint value")?;
        crate::text::no_more(r, "fingerprint value")?;
        // Pairs of hex digits separated by ':' (RFC 8122 §5): one pass.
        let b = fp.as_bytes();
        let well_formed = b.len() % 3 == 2
            && b.chunks(3).all(|c| {
                c[0].is_ascii_hexdigit()
                    && c[1].is_ascii_hexdigit()
                    && c.get(2).is_none_or(|&s| s == b':')
            });
        if !well_formed {
            return Err(fingerprint_error(fp));
        }
        Ok(Self {
            hash_function: hash.into(),
            fingerprint: fp.into(),
        })
    }

    /// The typed hash function, if known.
    #[must_use]
    pub fn hash(&self) -> Option<HashFunction> {
        HashFunction::from_name(&self.hash_function)
    }

    /// The fingerprint bytes.
    pub fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.fingerprint.split(':').filter_map(|p| {
            let b = p.as_bytes();
            Some(hex_val(*b.first()?)? << 4 | hex_val(*b.get(1)?)?)
        })
    }

    /// The fingerprint bytes, collected.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes().collect()
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.hash_function)?;
        w.write_char(' ')?;
        w.write_str(&self.fingerprint)
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> Fingerprint<'static> {
        Fingerprint {
            hash_function: own(self.hash_function),
            fingerprint: own(self.fingerprint),
        }
    }
}
