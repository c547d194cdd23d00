//! Writing STUN messages into a caller's buffer: [`MessageBuilder`] and [`WriteBuf`].
//!
//! The builder appends to a `Vec<u8>` (or `BytesMut` with the `bytes` feature) or fills a
//! `&mut [u8]` through [`SliceBuf`]. Attributes are padded to 4 bytes (with a padding byte
//! of the caller's choice, zero by default); MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT are
//! computed over the bytes already written, with the header length set as RFC 8489 §14.5–§14.7
//! require. Errors (a full slice, an over-long value, attributes after FINGERPRINT) are
//! remembered and reported once by [`MessageBuilder::finish`], so the attribute methods
//! chain without `?`.

use alloc::vec::Vec;
use core::net::SocketAddr;

use crate::attribute::{pad4, Attribute, AttributeType, ErrorCode};
use crate::error::StunError;
use crate::integrity::{fingerprint_of, IntegrityKey};
use crate::message::{MessageType, TransactionId, HEADER_LEN, MAGIC_COOKIE};

/// A byte sink the writers append to.
pub trait WriteBuf {
    /// Bytes written so far (the builder starts its message here).
    fn written(&self) -> usize;
    /// Appends `data`; returns `false` (writing nothing) if it does not fit.
    fn put(&mut self, data: &[u8]) -> bool;
    /// Appends `n` copies of `byte`; returns `false` (writing nothing) if they do not fit.
    fn put_fill(&mut self, byte: u8, n: usize) -> bool;
    /// The bytes written so far, mutable (for length fix-ups).
    fn written_mut(&mut self) -> &mut [u8];
    /// Total capacity, for error reports (`usize::MAX` when growable).
    fn capacity_hint(&self) -> usize {
        usize::MAX
    }
}

impl<T: WriteBuf + ?Sized> WriteBuf for &mut T {
    #[inline]
    fn written(&self) -> usize {
        (**self).written()
    }
    #[inline]
    fn put(&mut self, data: &[u8]) -> bool {
        (**self).put(data)
    }
    #[inline]
    fn put_fill(&mut self, byte: u8, n: usize) -> bool {
        (**self).put_fill(byte, n)
    }
    #[inline]
    fn written_mut(&mut self) -> &mut [u8] {
        (**self).written_mut()
    }
    #[inline]
    fn capacity_hint(&self) -> usize {
        (**self).capacity_hint()
    }
}

impl WriteBuf for Vec<u8> {
    #[inline]
    fn written(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put(&mut self, data: &[u8]) -> bool {
        self.extend_from_slice(data);
        true
    }
    #[inline]
    fn put_fill(&mut self, byte: u8, n: usize) -> bool {
        if n <= 3 {
            // Attribute padding: a short constant-size copy instead of `resize`.
            self.extend_from_slice(&[byte; 3][..n]);
        } else {
            self.resize(self.len() + n, byte);
        }
        true
    }
    #[inline]
    fn written_mut(&mut self) -> &mut [u8] {
        self
    }
}

#[cfg(feature = "bytes")]
impl WriteBuf for bytes::BytesMut {
    fn written(&self) -> usize {
        self.len()
    }
    fn put(&mut self, data: &[u8]) -> bool {
        self.extend_from_slice(data);
        true
    }
    fn put_fill(&mut self, byte: u8, n: usize) -> bool {
        self.resize(self.len() + n, byte);
        true
    }
    fn written_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// A fixed `&mut [u8]` filled from the start; [`SliceBuf::len`] is the number of bytes
/// written.
#[derive(Debug)]
pub struct SliceBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> SliceBuf<'a> {
    /// Writes into `buf` from its first byte.
    #[must_use]
    pub fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    /// Bytes written.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Nothing written yet.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl WriteBuf for SliceBuf<'_> {
    #[inline]
    fn written(&self) -> usize {
        self.len
    }
    #[inline]
    fn put(&mut self, data: &[u8]) -> bool {
        match self.buf.get_mut(self.len..self.len + data.len()) {
            Some(dst) => {
                dst.copy_from_slice(data);
                self.len += data.len();
                true
            }
            None => false,
        }
    }
    #[inline]
    fn put_fill(&mut self, byte: u8, n: usize) -> bool {
        match self.buf.get_mut(self.len..self.len + n) {
            Some(dst) => {
                dst.fill(byte);
                self.len += n;
                true
            }
            None => false,
        }
    }
    #[inline]
    fn written_mut(&mut self) -> &mut [u8] {
        &mut self.buf[..self.len]
    }
    fn capacity_hint(&self) -> usize {
        self.buf.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Attributes,
    AfterIntegrity,
    AfterIntegritySha256,
    AfterFingerprint,
}

/// Writes one STUN message (RFC 8489 §5) into a [`WriteBuf`].
///
/// ```
/// use stun_turn_codec::{Class, Method, MessageBuilder, TransactionId};
/// let mut buf = Vec::new();
/// let len = MessageBuilder::new(&mut buf, Class::Request, Method::BINDING, TransactionId([7; 12]))
///     .software("example")
///     .fingerprint()
///     .finish()?;
/// assert_eq!(len, buf.len());
/// # Ok::<(), stun_turn_codec::StunError>(())
/// ```
#[derive(Debug)]
pub struct MessageBuilder<B: WriteBuf> {
    buf: B,
    start: usize,
    transaction_id: TransactionId,
    padding: u8,
    stage: Stage,
    error: Option<StunError>,
}

impl<B: WriteBuf> MessageBuilder<B> {
    /// Starts a message at the end of `buf` with the given class, method and transaction ID.
    pub fn new(
        buf: B,
        class: crate::Class,
        method: crate::Method,
        transaction_id: TransactionId,
    ) -> Self {
        Self::with_type(buf, MessageType::new(class, method), transaction_id)
    }

    /// Starts a message of type `message_type`.
    pub fn with_type(mut buf: B, message_type: MessageType, transaction_id: TransactionId) -> Self {
        let start = buf.written();
        let mut header = [0u8; HEADER_LEN];
        header[0..2].copy_from_slice(&message_type.to_u16().to_be_bytes());
        header[4..8].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
        header[8..20].copy_from_slice(&transaction_id.0);
        let ok = buf.put(&header);
        let mut b = Self {
            buf,
            start,
            transaction_id,
            padding: 0,
            stage: Stage::Attributes,
            error: None,
        };
        if !ok {
            b.overflow(HEADER_LEN);
        }
        b
    }

    /// The transaction ID being written.
    #[must_use]
    pub const fn transaction_id(&self) -> TransactionId {
        self.transaction_id
    }

    /// Sets the byte used to pad attribute values to 4 bytes (default 0; RFC 8489 §14 says
    /// the padding content is ignored by receivers, and RFC 5769 §2.1 pads with spaces).
    pub fn padding_byte(&mut self, byte: u8) -> &mut Self {
        self.padding = byte;
        self
    }

    #[inline]
    fn overflow(&mut self, extra: usize) {
        if self.error.is_none() {
            self.error = Some(StunError::BufferTooSmall {
                needed: self.buf.written() + extra,
                capacity: self.buf.capacity_hint(),
            });
        }
    }

    #[inline]
    fn fail(&mut self, e: StunError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Bytes of this message written so far.
    #[inline]
    fn message_len(&self) -> usize {
        self.buf.written() - self.start
    }

    #[inline]
    fn set_length(&mut self, body_len: usize) {
        let start = self.start;
        let out = self.buf.written_mut();
        out[start + 2..start + 4].copy_from_slice(&(body_len as u16).to_be_bytes());
    }

    #[inline]
    fn check_room(&mut self, value_len: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        if value_len > usize::from(u16::MAX) {
            self.fail(StunError::TooLong {
                what: "attribute value",
                length: value_len,
            });
            return false;
        }
        if self.message_len() - HEADER_LEN + 4 + pad4(value_len) > usize::from(u16::MAX) {
            self.fail(StunError::TooLong {
                what: "message",
                length: self.message_len() + 4 + pad4(value_len),
            });
            return false;
        }
        true
    }

    #[inline]
    fn header(&mut self, t: AttributeType, len: usize) -> bool {
        let mut h = [0u8; 4];
        h[0..2].copy_from_slice(&t.0.to_be_bytes());
        h[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        if self.buf.put(&h) {
            true
        } else {
            self.overflow(4 + pad4(len));
            false
        }
    }

    #[inline]
    fn pad(&mut self, len: usize) {
        let n = pad4(len) - len;
        if n > 0 && !self.buf.put_fill(self.padding, n) {
            self.overflow(n);
        }
    }

    #[inline]
    fn ordinary_allowed(&mut self) -> bool {
        if self.stage != Stage::Attributes {
            // RFC 8489 §14.5: only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow
            // MESSAGE-INTEGRITY; §14.7: FINGERPRINT is last.
            self.fail(StunError::BuilderMisuse(
                "attribute after MESSAGE-INTEGRITY or FINGERPRINT",
            ));
            return false;
        }
        true
    }

    /// Appends a raw attribute (type and unpadded value).
    #[inline]
    pub fn raw_attribute(&mut self, attr_type: AttributeType, value: &[u8]) -> &mut Self {
        if self.ordinary_allowed()
            && self.check_room(value.len())
            && self.header(attr_type, value.len())
        {
            if self.buf.put(value) {
                self.pad(value.len());
            } else {
                self.overflow(pad4(value.len()));
            }
        }
        self
    }

    /// Appends a typed attribute. MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and
    /// FINGERPRINT values are written as given (to reproduce a message); use
    /// [`message_integrity`](Self::message_integrity) and [`fingerprint`](Self::fingerprint)
    /// to compute them.
    pub fn attribute(&mut self, attr: &Attribute<'_>) -> &mut Self {
        let len = attr.value_len();
        if self.ordinary_allowed() && self.check_room(len) && self.header(attr.attr_type(), len) {
            let tid = self.transaction_id;
            let mut ok = true;
            let buf = &mut self.buf;
            attr.encode_value(&tid, &mut |chunk| ok &= buf.put(chunk));
            if ok {
                self.pad(len);
            } else {
                self.overflow(pad4(len));
            }
        }
        self
    }

    /// USERNAME (RFC 8489 §14.3).
    #[inline]
    pub fn username(&mut self, username: &str) -> &mut Self {
        self.raw_attribute(AttributeType::USERNAME, username.as_bytes())
    }

    /// PRIORITY (RFC 8445 §7.1.1).
    #[inline]
    pub fn priority(&mut self, priority: u32) -> &mut Self {
        self.raw_attribute(AttributeType::PRIORITY, &priority.to_be_bytes())
    }

    /// USE-CANDIDATE (RFC 8445 §7.1.2).
    #[inline]
    pub fn use_candidate(&mut self) -> &mut Self {
        self.raw_attribute(AttributeType::USE_CANDIDATE, &[])
    }

    /// ICE-CONTROLLING with the tie-breaker (RFC 8445 §7.1.3).
    #[inline]
    pub fn ice_controlling(&mut self, tie_breaker: u64) -> &mut Self {
        self.raw_attribute(AttributeType::ICE_CONTROLLING, &tie_breaker.to_be_bytes())
    }

    /// ICE-CONTROLLED with the tie-breaker (RFC 8445 §7.1.3).
    #[inline]
    pub fn ice_controlled(&mut self, tie_breaker: u64) -> &mut Self {
        self.raw_attribute(AttributeType::ICE_CONTROLLED, &tie_breaker.to_be_bytes())
    }

    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
    pub fn xor_mapped_address(&mut self, addr: SocketAddr) -> &mut Self {
        self.attribute(&Attribute::XorMappedAddress(addr))
    }

    /// ERROR-CODE (RFC 8489 §14.8). `code` must be 300–699.
    pub fn error_code(&mut self, code: u16, reason: &str) -> &mut Self {
        if !(300..700).contains(&code) {
            self.fail(StunError::BuilderMisuse("ERROR-CODE outside 300..=699"));
            return self;
        }
        self.attribute(&Attribute::ErrorCode(ErrorCode { code, reason }))
    }

    /// SOFTWARE (RFC 8489 §14.14).
    pub fn software(&mut self, software: &str) -> &mut Self {
        self.raw_attribute(AttributeType::SOFTWARE, software.as_bytes())
    }

    /// REALM (RFC 8489 §14.9).
    pub fn realm(&mut self, realm: &str) -> &mut Self {
        self.raw_attribute(AttributeType::REALM, realm.as_bytes())
    }

    /// NONCE (RFC 8489 §14.10).
    pub fn nonce(&mut self, nonce: &str) -> &mut Self {
        self.raw_attribute(AttributeType::NONCE, nonce.as_bytes())
    }

    /// LIFETIME in seconds (RFC 8656 §18.2).
    pub fn lifetime(&mut self, seconds: u32) -> &mut Self {
        self.raw_attribute(AttributeType::LIFETIME, &seconds.to_be_bytes())
    }

    /// REQUESTED-TRANSPORT (RFC 8656 §18.8); 17 is UDP.
    pub fn requested_transport(&mut self, protocol: u8) -> &mut Self {
        self.raw_attribute(AttributeType::REQUESTED_TRANSPORT, &[protocol, 0, 0, 0])
    }

    /// XOR-PEER-ADDRESS (RFC 8656 §18.3).
    pub fn xor_peer_address(&mut self, addr: SocketAddr) -> &mut Self {
        self.attribute(&Attribute::XorPeerAddress(addr))
    }

    /// CHANNEL-NUMBER (RFC 8656 §18.1).
    pub fn channel_number(&mut self, channel: u16) -> &mut Self {
        self.attribute(&Attribute::ChannelNumber(channel))
    }

    /// DATA (RFC 8656 §18.4).
    pub fn data(&mut self, data: &[u8]) -> &mut Self {
        self.raw_attribute(AttributeType::DATA, data)
    }

    /// Appends MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) computed with `key` over the
    /// message so far, the header length covering the new attribute.
    #[inline]
    pub fn message_integrity(&mut self, key: &IntegrityKey) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        if self.stage >= Stage::AfterIntegrity {
            self.fail(StunError::BuilderMisuse(
                "MESSAGE-INTEGRITY after an integrity attribute or FINGERPRINT",
            ));
            return self;
        }
        if !self.check_room(20) {
            return self;
        }
        let body = self.message_len() - HEADER_LEN + 24;
        self.set_length(body);
        let start = self.start;
        let mac = {
            let m = &self.buf.written_mut()[start..];
            key.hmac_sha1(&[m])
        };
        let mut attr = [0u8; 24];
        attr[0..2].copy_from_slice(&AttributeType::MESSAGE_INTEGRITY.0.to_be_bytes());
        attr[2..4].copy_from_slice(&20u16.to_be_bytes());
        attr[4..].copy_from_slice(&mac);
        if !self.buf.put(&attr) {
            self.overflow(24);
        }
        self.stage = Stage::AfterIntegrity;
        self
    }

    /// Appends MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) with the full 32-byte tag.
    pub fn message_integrity_sha256(&mut self, key: &IntegrityKey) -> &mut Self {
        self.message_integrity_sha256_truncated(key, 32)
    }

    /// Appends MESSAGE-INTEGRITY-SHA256 truncated to `tag_len` bytes (16–32, a multiple of 4).
    pub fn message_integrity_sha256_truncated(
        &mut self,
        key: &IntegrityKey,
        tag_len: usize,
    ) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        if !(16..=32).contains(&tag_len) || tag_len % 4 != 0 {
            self.fail(StunError::BuilderMisuse(
                "MESSAGE-INTEGRITY-SHA256 length must be 16..=32 and a multiple of 4",
            ));
            return self;
        }
        if self.stage >= Stage::AfterIntegritySha256 {
            self.fail(StunError::BuilderMisuse(
                "MESSAGE-INTEGRITY-SHA256 after itself or FINGERPRINT",
            ));
            return self;
        }
        if !self.check_room(tag_len) {
            return self;
        }
        let body = self.message_len() - HEADER_LEN + 4 + tag_len;
        self.set_length(body);
        let start = self.start;
        let mac = {
            let m = &self.buf.written_mut()[start..];
            key.hmac_sha256(&[m])
        };
        if self.header(AttributeType::MESSAGE_INTEGRITY_SHA256, tag_len)
            && !self.buf.put(&mac[..tag_len])
        {
            self.overflow(tag_len);
        }
        self.stage = Stage::AfterIntegritySha256;
        self
    }

    /// Appends FINGERPRINT (RFC 8489 §14.7); it must be the last attribute.
    #[inline]
    pub fn fingerprint(&mut self) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        if self.stage == Stage::AfterFingerprint {
            self.fail(StunError::BuilderMisuse("second FINGERPRINT"));
            return self;
        }
        if !self.check_room(4) {
            return self;
        }
        let body = self.message_len() - HEADER_LEN + 8;
        self.set_length(body);
        let start = self.start;
        let crc = fingerprint_of(&[&self.buf.written_mut()[start..]]);
        let mut attr = [0u8; 8];
        attr[0..2].copy_from_slice(&AttributeType::FINGERPRINT.0.to_be_bytes());
        attr[2..4].copy_from_slice(&4u16.to_be_bytes());
        attr[4..].copy_from_slice(&crc.to_be_bytes());
        if !self.buf.put(&attr) {
            self.overflow(8);
        }
        self.stage = Stage::AfterFingerprint;
        self
    }

    /// Sets the final header length and returns the message length in bytes.
    ///
    /// # Errors
    ///
    /// The first error met while building: [`StunError::BufferTooSmall`],
    /// [`StunError::TooLong`] or [`StunError::BuilderMisuse`].
    #[inline]
    pub fn finish(&mut self) -> Result<usize, StunError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let len = self.message_len();
        self.set_length(len - HEADER_LEN);
        Ok(len)
    }
}
