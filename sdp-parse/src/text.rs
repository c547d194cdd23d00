//! Small lexical helpers shared by the line and attribute parsers.
//!
//! RFC 8866 §9 separates fields with exactly one `SP`, so tokens are split on
//! single spaces and an empty token is an error. Numbers are plain decimal
//! without sign or leading zeros, which makes every accepted text map to one
//! value and back: that is what keeps the writer lossless.

use alloc::format;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use crate::error::{ErrorKind, Fail, PResult};

/// The strings a description holds.
///
/// A parsed description borrows every string from its input (`&str`), so it
/// costs no copy to make and nothing to drop; [`into_owned`] gives the same
/// description with `String`s, which outlives the input and can be
/// deserialized. Any string type that dereferences to `str` and can be
/// shown and compared (`Box<str>`, `Arc<str>`, `Cow<str>`) works too, to
/// build descriptions from or share them.
///
/// [`into_owned`]: crate::SessionDescription::into_owned
pub trait Text: core::ops::Deref<Target = str> + fmt::Display + fmt::Debug + Eq {}

impl<T: core::ops::Deref<Target = str> + fmt::Display + fmt::Debug + Eq + ?Sized> Text for T {}

/// The empty slice at the end of `s` (position of a missing field).
#[inline]
pub(crate) fn end(s: &str) -> &str {
    &s[s.len()..]
}

/// Splits at the first space: `("a", Some("b c"))` for `"a b c"`.
#[inline]
pub(crate) fn split_sp(s: &str) -> (&str, Option<&str>) {
    // Short fields: a plain loop beats a vectorised search; long ones (URIs,
    // ids, fingerprints) are scanned with `memchr`.
    let b = s.as_bytes();
    let pos = if b.len() <= 24 {
        b.iter().position(|&c| c == b' ')
    } else {
        find_byte(b, b' ')
    };
    split_around(s, pos)
}

/// `s` before and after the byte at `pos`, or all of `s` when there is none.
#[inline(always)]
fn split_around(s: &str, pos: Option<usize>) -> (&str, Option<&str>) {
    match pos {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// Splits at the first `b`: `("a", Some("b/c"))` for `"a/b/c"` and `b'/'`
/// (short fields: a plain loop).
#[inline]
pub(crate) fn split_at_byte(s: &str, b: u8) -> (&str, Option<&str>) {
    split_around(s, s.bytes().position(|c| c == b))
}

/// Takes the next space-separated field, which must be present and non-empty.
#[inline(always)]
pub(crate) fn field<'a>(
    rest: &mut Option<&'a str>,
    whole: &'a str,
    name: &str,
) -> PResult<'a, &'a str> {
    match *rest {
        Some(s) => {
            let (tok, next) = split_sp(s);
            if tok.is_empty() {
                return Err(field_error(Some(tok), whole, name));
            }
            *rest = next;
            Ok(tok)
        }
        None => Err(field_error(None, whole, name)),
    }
}

#[cold]
#[inline(never)]
fn field_error<'a>(tok: Option<&'a str>, whole: &'a str, name: &str) -> Fail<'a> {
    match tok {
        None => Fail::new(
            ErrorKind::MissingField,
            end(whole),
            format!("missing {name}"),
        ),
        Some(tok) => Fail::new(
            ErrorKind::MissingField,
            tok,
            format!("missing {name} (fields are separated by exactly one space)"),
        ),
    }
}

/// Fails when fields are left after the last one.
#[inline]
pub(crate) fn no_more<'a>(rest: Option<&'a str>, what: &str) -> PResult<'a, ()> {
    match rest {
        None => Ok(()),
        Some(s) => Err(Fail::new(
            ErrorKind::TrailingData,
            s,
            format!("unexpected text \"{s}\" after {what}"),
        )),
    }
}

/// Checks a space-separated list: non-empty tokens, single spaces.
#[inline]
pub(crate) fn token_list<'a>(s: &'a str, name: &str) -> PResult<'a, ()> {
    let b = s.as_bytes();
    // Without an early exit the pair test runs a vector at a time.
    let bad = b.is_empty()
        || b[0] == b' '
        || b[b.len() - 1] == b' '
        || b.iter()
            .zip(&b[1..])
            .fold(false, |bad, (&x, &y)| bad | ((x == b' ') & (y == b' ')));
    if bad {
        Err(token_list_error(s, name))
    } else {
        Ok(())
    }
}

#[cold]
#[inline(never)]
fn token_list_error<'a>(s: &'a str, name: &str) -> Fail<'a> {
    let tok = s.split(' ').find(|t| t.is_empty()).unwrap_or(s);
    Fail::new(
        ErrorKind::InvalidValue,
        tok,
        format!("empty {name} (fields are separated by exactly one space)"),
    )
}

/// Parses a canonical unsigned decimal number no larger than `max`.
#[inline]
pub(crate) fn number<'a>(s: &'a str, name: &str, max: u64) -> PResult<'a, u64> {
    let b = s.as_bytes();
    // Fast path: 1 to 19 digits (cannot overflow), no leading zero.
    if !b.is_empty() && b.len() <= 19 && (b[0] != b'0' || b.len() == 1) {
        let mut v: u64 = 0;
        let mut ok = true;
        for &c in b {
            let d = c.wrapping_sub(b'0');
            ok &= d < 10;
            v = v.wrapping_mul(10).wrapping_add(u64::from(d));
        }
        if ok && v <= max {
            return Ok(v);
        }
    }
    number_slow(s, name, max)
}

/// The general case of [`number`]: 20 digits, or an error to describe.
#[cold]
#[inline(never)]
fn number_slow<'a>(s: &'a str, name: &str, max: u64) -> PResult<'a, u64> {
    let b = s.as_bytes();
    if !b.is_empty() && (b[0] != b'0' || b.len() == 1) && b.iter().all(u8::is_ascii_digit) {
        let v = b.iter().try_fold(0u64, |v, &c| {
            v.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        });
        if let Some(v) = v.filter(|v| *v <= max) {
            return Ok(v);
        }
    }
    Err(number_error(s, name, max))
}

#[cold]
#[inline(never)]
fn number_error<'a>(s: &'a str, name: &str, max: u64) -> Fail<'a> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Fail::new(ErrorKind::MissingField, s, format!("missing {name}"));
    }
    if !b.iter().all(u8::is_ascii_digit) {
        return Fail::new(
            ErrorKind::InvalidNumber,
            s,
            format!("{name} \"{s}\" is not a number"),
        );
    }
    if b.len() > 1 && b[0] == b'0' {
        return Fail::new(
            ErrorKind::InvalidNumber,
            s,
            format!("{name} \"{s}\" has a leading zero"),
        );
    }
    Fail::new(
        ErrorKind::OutOfRange,
        s,
        format!("{name} {s} is out of range (at most {max})"),
    )
}

#[inline]
pub(crate) fn u8_num<'a>(s: &'a str, name: &str, max: u8) -> PResult<'a, u8> {
    number(s, name, u64::from(max)).map(|v| v as u8)
}

#[inline]
pub(crate) fn u16_num<'a>(s: &'a str, name: &str) -> PResult<'a, u16> {
    number(s, name, u64::from(u16::MAX)).map(|v| v as u16)
}

#[inline]
pub(crate) fn u32_num<'a>(s: &'a str, name: &str) -> PResult<'a, u32> {
    number(s, name, u64::from(u32::MAX)).map(|v| v as u32)
}

/// Checks that `s` is a plain decimal string (digits only, non-empty), without
/// constraints on leading zeros or size. Used for fields kept as text such as
/// `sess-id`.
pub(crate) fn digits<'a>(s: &'a str, name: &str) -> PResult<'a, ()> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(Fail::new(
            ErrorKind::InvalidNumber,
            s,
            format!("{name} \"{s}\" is not a number"),
        ));
    }
    Ok(())
}

/// Checks a decimal with an optional fraction (`29.97`), as used by `ptime`
/// and `framerate`.
pub(crate) fn decimal<'a>(s: &'a str, name: &str) -> PResult<'a, ()> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let ok = !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(Fail::new(
            ErrorKind::InvalidNumber,
            s,
            format!("{name} \"{s}\" is not a decimal number"),
        ))
    }
}

/// Checks that `s` is a non-empty RFC 8866 `token`.
#[inline]
pub(crate) fn token<'a>(s: &'a str, name: &str) -> PResult<'a, ()> {
    if !s.is_empty() && s.bytes().all(is_token_char) {
        Ok(())
    } else {
        Err(token_error(s, name))
    }
}

#[cold]
#[inline(never)]
fn token_error<'a>(s: &'a str, name: &str) -> Fail<'a> {
    if s.is_empty() {
        Fail::new(ErrorKind::MissingField, s, format!("missing {name}"))
    } else {
        Fail::new(
            ErrorKind::InvalidValue,
            s,
            format!("{name} \"{s}\" contains a character not allowed in a token"),
        )
    }
}

/// RFC 8866 §9 `token-char`, as a lookup table.
static TOKEN_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = matches!(c, 0x21 | 0x23..=0x27 | 0x2A | 0x2B | 0x2D | 0x2E | 0x30..=0x39 | 0x41..=0x5A | 0x5E..=0x7E);
        c += 1;
    }
    t
};

/// RFC 8866 §9 `token-char`.
#[inline]
pub(crate) fn is_token_char(c: u8) -> bool {
    TOKEN_CHARS[usize::from(c)]
}

/// The length of the run of `token-char`s that starts `b` (0 when there is none).
#[inline]
pub(crate) fn token_len(b: &[u8]) -> usize {
    b.iter().position(|&c| !is_token_char(c)).unwrap_or(b.len())
}

/// Position of the first `needle` in `b`.
///
/// On x86-64 with `memchr`'s SSE2 searcher, which needs no check of the CPU
/// (SSE2 is part of the architecture) and so is inlined here: lines and
/// fields are short, and `memchr::memchr`'s dispatch to its AVX2 searcher
/// costs about as much as the search.
#[inline]
pub(crate) fn find_byte(b: &[u8], needle: u8) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if let Some(s) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
        return s.find(b);
    }
    memchr::memchr(needle, b)
}

/// Position of the first `n1` or `n2` in `b` (see [`find_byte`]).
#[inline]
pub(crate) fn find_byte2(b: &[u8], n1: u8, n2: u8) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if let Some(s) = memchr::arch::x86_64::sse2::memchr::Two::new(n1, n2) {
        return s.find(b);
    }
    memchr::memchr2(n1, n2, b)
}

/// The fast paths' numbers: 1 to `max_digits` ASCII digits starting `b`, without a leading
/// zero, as the value and the number of digits. `None` (no digit, a longer run, a leading
/// zero) sends the caller to its general path, which words the error.
#[inline]
pub(crate) fn leading_number(b: &[u8], max_digits: usize) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    let mut k = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d >= 10 {
            break;
        }
        if k == max_digits {
            return None;
        }
        value = value * 10 + u64::from(d);
        k += 1;
    }
    if k == 0 || (k > 1 && b[0] == b'0') {
        return None;
    }
    Some((value, k))
}

/// `"000001002...999"`: three-digit groups for [`write_u64`].
const DIGITS: &str = {
    const BYTES: [u8; 3000] = {
        let mut b = [0u8; 3000];
        let mut i = 0;
        while i < 1000 {
            b[3 * i] = b'0' + (i / 100) as u8;
            b[3 * i + 1] = b'0' + (i / 10 % 10) as u8;
            b[3 * i + 2] = b'0' + (i % 10) as u8;
            i += 1;
        }
        b
    };
    match core::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("digits are ASCII"),
    }
};

/// The three digits of `n % 1000`.
#[inline]
fn group(n: u64) -> &'static str {
    let i = (n % 1000) as usize * 3;
    &DIGITS[i..i + 3]
}

/// Writes an unsigned integer without going through `core::fmt`'s machinery.
#[inline]
pub(crate) fn write_u64<W: Write + ?Sized>(w: &mut W, n: u64) -> fmt::Result {
    // Leading group without its leading zeros, then full groups.
    let mut div = 1u64;
    while n / div >= 1000 {
        div *= 1000;
    }
    let lead = group(n / div);
    let skip = if n / div >= 100 {
        0
    } else if n / div >= 10 {
        1
    } else {
        2
    };
    w.write_str(&lead[skip..])?;
    while div > 1 {
        div /= 1000;
        w.write_str(group(n / div))?;
    }
    Ok(())
}

/// Collects a writer's output into a byte vector.
#[derive(Debug)]
pub(crate) struct VecWriter<'v>(pub(crate) &'v mut Vec<u8>);

impl Write for VecWriter<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }

    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        if c.is_ascii() {
            self.0.push(c as u8);
            Ok(())
        } else {
            self.write_str(c.encode_utf8(&mut [0; 4]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write_u64;

    #[test]
    fn write_u64_matches_display() {
        for n in [
            0,
            7,
            10,
            99,
            100,
            999,
            1000,
            1001,
            90000,
            1_000_000,
            2_122_260_223,
            u64::MAX,
        ] {
            let mut s = String::new();
            write_u64(&mut s, n).unwrap();
            assert_eq!(s, alloc::format!("{n}"));
        }
    }
}
