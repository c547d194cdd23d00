//! [`List`]: a sequence that is either still on the wire or built from values.

use alloc::vec::Vec;
use core::fmt;

/// One item of a [`List`]: how it is read from validated wire bytes and written back.
pub trait WireItem<'a>: Sized {
    /// Reads one item from the front of `buf`, advancing it. Only called on bytes the parser
    /// has already validated; returns `None` (ending the iteration) if they are short.
    fn read(buf: &mut &'a [u8]) -> Option<Self>;
    /// Bytes [`WireItem::write`] produces.
    fn wire_len(&self) -> usize;
    /// Appends the wire form.
    fn write(&self, out: &mut Vec<u8>);
}

/// A list of items: borrowed wire bytes after parsing (decoded lazily, nothing copied), or a
/// vector of values when building a packet. Both forms iterate the same items and compare
/// equal when their items are equal.
#[derive(Clone)]
pub enum List<'a, T> {
    /// Items still encoded in a parsed packet.
    Wire {
        /// The validated wire bytes of exactly `count` items.
        bytes: &'a [u8],
        /// The number of items.
        count: usize,
    },
    /// Items given as values.
    Owned(Vec<T>),
}

impl<'a, T: WireItem<'a> + Clone> List<'a, T> {
    /// The items in order.
    #[must_use]
    #[inline]
    pub fn iter(&self) -> ListIter<'_, 'a, T> {
        match self {
            Self::Wire { bytes, count } => ListIter::Wire {
                bytes,
                left: *count,
            },
            Self::Owned(v) => ListIter::Owned(v.iter()),
        }
    }

    /// The number of items.
    #[must_use]
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            Self::Wire { count, .. } => *count,
            Self::Owned(v) => v.len(),
        }
    }

    /// Whether the list is empty.
    #[must_use]
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the items take on the wire.
    #[must_use]
    #[inline]
    pub fn wire_len(&self) -> usize {
        match self {
            Self::Wire { bytes, .. } => bytes.len(),
            Self::Owned(v) => v.iter().map(WireItem::wire_len).sum(),
        }
    }

    /// Appends the wire form of every item.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Wire { bytes, .. } => out.extend_from_slice(bytes),
            Self::Owned(v) => v.iter().for_each(|i| i.write(out)),
        }
    }

    /// The items as a vector.
    #[must_use]
    #[inline]
    pub fn to_vec(&self) -> Vec<T> {
        self.iter().collect()
    }
}

impl<T> Default for List<'_, T> {
    #[inline]
    fn default() -> Self {
        Self::Owned(Vec::new())
    }
}

impl<T> From<Vec<T>> for List<'_, T> {
    #[inline]
    fn from(v: Vec<T>) -> Self {
        Self::Owned(v)
    }
}

impl<'a, T: WireItem<'a> + Clone + PartialEq> PartialEq for List<'a, T> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a, T: WireItem<'a> + Clone + Eq> Eq for List<'a, T> {}

impl<'a, T: WireItem<'a> + Clone + fmt::Debug> fmt::Debug for List<'a, T> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "serde")]
impl<'a, T: WireItem<'a> + Clone + serde::Serialize> serde::Serialize for List<'a, T> {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Iterator over a [`List`].
#[derive(Debug)]
pub enum ListIter<'l, 'a, T> {
    /// Decoding wire bytes.
    #[doc(hidden)]
    Wire {
        /// Bytes left.
        bytes: &'a [u8],
        /// Items left.
        left: usize,
    },
    /// Walking values.
    #[doc(hidden)]
    Owned(core::slice::Iter<'l, T>),
}

impl<'a, T: WireItem<'a> + Clone> Iterator for ListIter<'_, 'a, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match self {
            Self::Wire { bytes, left } => {
                if *left == 0 {
                    return None;
                }
                *left -= 1;
                let item = T::read(bytes);
                if item.is_none() {
                    *left = 0;
                }
                item
            }
            Self::Owned(it) => it.next().cloned(),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Self::Wire { left, .. } => (0, Some(*left)),
            Self::Owned(it) => it.size_hint(),
        }
    }
}

impl<'a> WireItem<'a> for u32 {
    #[inline]
    fn read(buf: &mut &'a [u8]) -> Option<Self> {
        let (head, rest) = buf.split_first_chunk::<4>()?;
        *buf = rest;
        Some(Self::from_be_bytes(*head))
    }
    #[inline]
    fn wire_len(&self) -> usize {
        4
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }
}

/// Reads a big-endian `u16` at `off` (caller has validated the length).
#[inline]
pub(crate) fn be16(b: &[u8], off: usize) -> u16 {
    let w: [u8; 2] = b[off..off + 2].try_into().unwrap_or_default();
    u16::from_be_bytes(w)
}

/// Reads a big-endian 24-bit value at `off`.
#[inline]
pub(crate) fn be24(b: &[u8], off: usize) -> u32 {
    u32::from_be_bytes([0, b[off], b[off + 1], b[off + 2]])
}

/// Reads a big-endian `u32` at `off`.
#[inline]
pub(crate) fn be32(b: &[u8], off: usize) -> u32 {
    let w: [u8; 4] = b[off..off + 4].try_into().unwrap_or_default();
    u32::from_be_bytes(w)
}

/// Reads a big-endian `u64` at `off`.
#[inline]
pub(crate) fn be64(b: &[u8], off: usize) -> u64 {
    (u64::from(be32(b, off)) << 32) | u64::from(be32(b, off + 4))
}

/// Splits `n` bytes off the front of `buf`.
#[inline]
pub(crate) fn take<'a>(buf: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if buf.len() < n {
        return None;
    }
    let (h, t) = buf.split_at(n);
    *buf = t;
    Some(h)
}

#[cfg(feature = "serde")]
pub(crate) mod hex_bytes {
    //! Serialises bytes as a lowercase hex string.
    use core::fmt;

    struct Hex<'b>(&'b [u8]);

    impl fmt::Display for Hex<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for b in self.0 {
                write!(f, "{b:02x}")?;
            }
            Ok(())
        }
    }

    #[inline]
    pub(crate) fn serialize<S: serde::Serializer, B: AsRef<[u8]> + ?Sized>(
        b: &B,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_str(&Hex(b.as_ref()))
    }
}
