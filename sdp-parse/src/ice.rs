//! ICE and DTLS attributes: `candidate` (RFC 8839 §5.1) and `fingerprint`
//! (RFC 8122 §5).

use alloc::format;
#[cfg(feature = "serde")]
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use crate::error::{ErrorKind, Fail, PResult};
use crate::text::{field, token, u16_num, u32_num, Text};

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
///
/// The value is kept as one string with the positions of its fields, so a
/// candidate is small to move (the fields are read through accessors, which
/// never fail: `parse` checked every field once). Two candidates are equal
/// when their values are written the same.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Candidate<S: Text> {
    /// The whole value after `candidate:`, as written.
    value: S,
    priority: u32,
    component: u16,
    port: u16,
    rport: Option<u16>,
    /// Ends of the foundation and starts/ends of the transport, address and
    /// type fields, as byte offsets into `value`.
    foundation_end: u32,
    transport: (u32, u32),
    address: (u32, u32),
    typ: (u32, u32),
    /// The related address, if any (`NONE..NONE` when absent).
    raddr: (u32, u32),
    /// Start of the extension pairs (`NONE` when there are none).
    extensions: u32,
}

/// Position marker for an absent optional field.
const NONE: u32 = u32::MAX;

fn is_ice_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

impl<'a> Candidate<&'a str> {
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
        let Ok(len) = u32::try_from(v.len()) else {
            return Err(too_long(v));
        };
        let pos = |f: &str| (f.as_ptr() as usize - v.as_ptr() as usize) as u32;
        let span = |f: &str| (pos(f), pos(f) + f.len() as u32);
        Ok(Self {
            value: v,
            priority,
            component,
            port,
            rport,
            foundation_end: foundation.len() as u32,
            transport: span(transport),
            address: span(address),
            typ: span(typ),
            raddr: raddr.map_or((NONE, NONE), span),
            extensions: rest.map_or(NONE, |e| {
                debug_assert!(pos(e) <= len);
                pos(e)
            }),
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
}

impl<S: Text> Candidate<S> {
    /// The typed candidate type.
    #[must_use]
    pub fn candidate_type(&self) -> CandidateType {
        match self.typ() {
            "host" => CandidateType::Host,
            "srflx" => CandidateType::Srflx,
            "prflx" => CandidateType::Prflx,
            "relay" => CandidateType::Relay,
            _ => CandidateType::Other,
        }
    }

    /// Extension pairs in order.
    pub fn extensions(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut it = self.extensions_raw().unwrap_or("").split(' ');
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

    /// The value as written (what follows `candidate:`).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }

    #[inline]
    fn slice(&self, (start, end): (u32, u32)) -> &str {
        self.value.get(start as usize..end as usize).unwrap_or("")
    }

    /// Foundation: 1–32 `ice-char`s.
    #[must_use]
    pub fn foundation(&self) -> &str {
        self.slice((0, self.foundation_end))
    }

    /// Component id, 1–256 (1 = RTP, 2 = RTCP).
    #[must_use]
    pub const fn component(&self) -> u16 {
        self.component
    }

    /// Transport (`udp`, `tcp`, case-insensitive), as written.
    #[must_use]
    pub fn transport(&self) -> &str {
        self.slice(self.transport)
    }

    /// Priority (RFC 8445 §5.1.2).
    #[must_use]
    pub const fn priority(&self) -> u32 {
        self.priority
    }

    /// IP address or FQDN (e.g. an mDNS `.local` name, RFC 8839 §5.1).
    #[must_use]
    pub fn address(&self) -> &str {
        self.slice(self.address)
    }

    /// Port.
    #[must_use]
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// Candidate type as written (`host`, `srflx`, `prflx`, `relay` or another token).
    #[must_use]
    pub fn typ(&self) -> &str {
        self.slice(self.typ)
    }

    /// Related address (`raddr`).
    #[must_use]
    pub fn raddr(&self) -> Option<&str> {
        (self.raddr.0 != NONE).then(|| self.slice(self.raddr))
    }

    /// Related port (`rport`).
    #[must_use]
    pub const fn rport(&self) -> Option<u16> {
        self.rport
    }

    /// Extension name/value pairs after the related address/port, as written.
    #[must_use]
    pub fn extensions_raw(&self) -> Option<&str> {
        (self.extensions != NONE).then(|| self.value.get(self.extensions as usize..).unwrap_or(""))
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.value)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Candidate<T> {
        let positions = self.with_value("");
        positions.with_value(f(self.value))
    }

    /// `value` with this candidate's field positions: the same text held
    /// in another string type.
    fn with_value<T: Text>(&self, value: T) -> Candidate<T> {
        Candidate {
            value,
            priority: self.priority,
            component: self.component,
            port: self.port,
            rport: self.rport,
            foundation_end: self.foundation_end,
            transport: self.transport,
            address: self.address,
            typ: self.typ,
            raddr: self.raddr,
            extensions: self.extensions,
        }
    }
}

#[cold]
#[inline(never)]
fn too_long(v: &str) -> Fail<'_> {
    Fail::new(
        ErrorKind::InvalidValue,
        v,
        format!("candidate of {} bytes is too long", v.len()),
    )
}

impl<S: Text> fmt::Debug for Candidate<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Candidate")
            .field("foundation", &self.foundation())
            .field("component", &self.component)
            .field("transport", &self.transport())
            .field("priority", &self.priority)
            .field("address", &self.address())
            .field("port", &self.port)
            .field("typ", &self.typ())
            .field("raddr", &self.raddr())
            .field("rport", &self.rport)
            .field("extensions", &self.extensions_raw())
            .finish()
    }
}

/// The JSON form keeps the field names of the RFC 8839 grammar.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct CandidateFields<T> {
    foundation: T,
    component: u16,
    transport: T,
    priority: u32,
    address: T,
    port: u16,
    typ: T,
    raddr: Option<T>,
    rport: Option<u16>,
    extensions: Option<T>,
}

#[cfg(feature = "serde")]
impl<S: Text> serde::Serialize for Candidate<S> {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        CandidateFields {
            foundation: self.foundation(),
            component: self.component,
            transport: self.transport(),
            priority: self.priority,
            address: self.address(),
            port: self.port,
            typ: self.typ(),
            raddr: self.raddr(),
            rport: self.rport,
            extensions: self.extensions_raw(),
        }
        .serialize(s)
    }
}

/// Deserialises the fields and checks them by parsing their written form.
#[cfg(feature = "serde")]
impl<'de, S: Text + serde::Deserialize<'de>> serde::Deserialize<'de> for Candidate<S> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = CandidateFields::<String>::deserialize(d)?;
        let mut v = String::new();
        let _ = write!(
            v,
            "{} {} {} {} {} {} typ {}",
            f.foundation, f.component, f.transport, f.priority, f.address, f.port, f.typ
        );
        if let Some(a) = &f.raddr {
            let _ = write!(v, " raddr {a}");
        }
        if let Some(p) = f.rport {
            let _ = write!(v, " rport {p}");
        }
        if let Some(e) = &f.extensions {
            let _ = write!(v, " {e}");
        }
        let c = Candidate::parse(&v).map_err(|e| serde::de::Error::custom(e.0.message))?;
        // The checked value in the string type asked for.
        let value = S::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&v))?;
        Ok(c.with_value(value))
    }
}

impl<S: Text> fmt::Display for Candidate<S> {
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
pub struct Fingerprint<S: Text> {
    /// Hash function name as written (`sha-256`).
    pub hash_function: S,
    /// Colon-separated hex bytes as written (validated).
    pub fingerprint: S,
}

/// `HEX_DIGITS[c]`: whether `c` is an ASCII hex digit, by table (fingerprints
/// are 20 to 64 of them).
static HEX_DIGITS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_hexdigit();
        c += 1;
    }
    t
};

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Pairs of hex digits separated by ':' (RFC 8122 §5): `XX:` groups, then
/// the last `XX`.
fn well_formed(b: &[u8]) -> bool {
    let hex = |c: u8| HEX_DIGITS[usize::from(c)];
    b.len() % 3 == 2 && {
        let (groups, last) = b.split_at(b.len() - 2);
        hex(last[0])
            && hex(last[1])
            && groups
                .chunks_exact(3)
                .all(|c| hex(c[0]) & hex(c[1]) & (c[2] == b':'))
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

impl<'a> Fingerprint<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        // The hash function is a token, and the value's grammar has no space:
        // the token's end is the one space.
        let n = crate::text::token_len(v.as_bytes());
        if n > 0 && v.as_bytes().get(n) == Some(&b' ') {
            let (hash, fp) = (&v[..n], &v[n + 1..]);
            if well_formed(fp.as_bytes()) {
                return Ok(Self {
                    hash_function: hash,
                    fingerprint: fp,
                });
            }
        }
        // Field by field, to word the error.
        let mut r = Some(v);
        let hash = field(&mut r, v, "fingerprint hash function")?;
        token(hash, "fingerprint hash function")?;
        let fp = field(&mut r, v, "fingerprint value")?;
        crate::text::no_more(r, "fingerprint value")?;
        Err(fingerprint_error(fp))
    }
}

impl<S: Text> Fingerprint<S> {
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

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Fingerprint<T> {
        Fingerprint {
            hash_function: f(self.hash_function),
            fingerprint: f(self.fingerprint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Candidate, CandidateType, Text};

    #[test]
    fn candidate_fields_read_back_borrowed_and_owned() {
        let v = "a+/1 2 TCP 1518280447 fe80::1 9 typ srflx raddr 10.0.0.1 rport 50000 tcptype active generation 0";
        fn check<S: Text>(c: &Candidate<S>, v: &str) {
            assert_eq!(
                (c.foundation(), c.component(), c.transport()),
                ("a+/1", 2, "TCP")
            );
            assert_eq!(
                (c.priority(), c.address(), c.port()),
                (1518280447, "fe80::1", 9)
            );
            assert_eq!(
                (c.typ(), c.candidate_type()),
                ("srflx", CandidateType::Srflx)
            );
            assert_eq!((c.raddr(), c.rport()), (Some("10.0.0.1"), Some(50000)));
            assert_eq!(c.extensions_raw(), Some("tcptype active generation 0"));
            assert_eq!(c.tcptype(), Some("active"));
            assert_eq!(c.to_string(), v);
        }
        let c = Candidate::parse(v).unwrap();
        check(&c, v);
        check(&c.into_owned(), v);
        let bare = Candidate::parse("1 1 udp 5 h.local 1 typ host").unwrap();
        assert_eq!(
            (bare.raddr(), bare.rport(), bare.extensions_raw()),
            (None, None, None)
        );
        assert_eq!(bare.extensions().count(), 0);
    }
}
