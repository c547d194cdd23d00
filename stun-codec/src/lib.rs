//! Zero-copy STUN and TURN codec.
//!
//! Reads and writes STUN messages ([RFC 8489]) with the ICE attributes of [RFC 8445] and
//! the TURN attributes and ChannelData framing of [RFC 8656], verifying MESSAGE-INTEGRITY,
//! MESSAGE-INTEGRITY-SHA256 and FINGERPRINT in place over the received bytes.
//!
//! - [`Message::parse`] checks the header and every attribute TLV once and returns a view
//!   borrowing the input; typed getters ([`Message::username`], [`Message::priority`],
//!   [`Message::xor_mapped_address`], …) decode on demand, and [`Message::attributes`]
//!   iterates the raw attributes.
//! - [`IntegrityKey`] holds a precomputed HMAC key; [`Message::verify_integrity`] and
//!   [`Message::verify_fingerprint`] check a received message without copying it.
//! - [`MessageBuilder`] writes into a `Vec<u8>`, a `&mut [u8]` ([`SliceBuf`]) or, with the
//!   `bytes` feature, a `BytesMut`, and appends MESSAGE-INTEGRITY and FINGERPRINT last.
//! - [`is_stun`] is the cheap demultiplexing probe.
//! - [`ChannelData`] reads and writes TURN ChannelData (RFC 8656 §12.4) and
//!   [`next_turn_frame`] splits a TCP/TLS stream into STUN and ChannelData messages.
//!
//! # Example: an ICE connectivity check, written and read back
//!
//! ```
//! use stun_turn_codec::{is_stun, Class, IntegrityKey, Message, MessageBuilder, Method, TransactionId};
//!
//! // Short-term credentials (RFC 8489 §9.1): the key is the peer's ice-pwd. Build the key
//! // once and keep it; it holds the precomputed HMAC state.
//! let key = IntegrityKey::short_term("VOkJxbRl1RmTxUk/WvJxBt")?;
//! let tid = TransactionId([0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae]);
//!
//! let mut buf = Vec::with_capacity(128); // reuse it: no allocation per message
//! MessageBuilder::new(&mut buf, Class::Request, Method::BINDING, tid)
//!     .username("9uB6:YxTT")
//!     .priority(0x6e00_01ff)
//!     .ice_controlling(0x932f_f9b1_5126_3b36)
//!     .use_candidate()
//!     .message_integrity(&key)
//!     .fingerprint()
//!     .finish()?;
//!
//! assert!(is_stun(&buf));
//! let msg = Message::parse(&buf)?;
//! assert_eq!(msg.class(), Class::Request);
//! assert_eq!(msg.method(), Method::BINDING);
//! assert_eq!(msg.transaction_id(), tid);
//! assert_eq!(msg.username()?, Some("9uB6:YxTT"));
//! assert_eq!(msg.priority()?, Some(0x6e00_01ff));
//! assert_eq!(msg.ice_controlling()?, Some(0x932f_f9b1_5126_3b36));
//! assert!(msg.use_candidate());
//! msg.verify_integrity(&key)?;
//! msg.verify_fingerprint()?;
//! # Ok::<(), stun_turn_codec::StunError>(())
//! ```
//!
//! # Features
//!
//! - `std` (default): SASLprep and OpaqueString preparation of non-ASCII passwords.
//!   Without it the crate is `no_std` + `alloc`, and only printable-ASCII passwords (or raw
//!   key bytes, [`IntegrityKey::new`]) can make keys.
//! - `serde`: `Serialize` for the decoded forms.
//! - `bytes`: [`WriteBuf`] for `bytes::BytesMut`.
//!
//! [RFC 8489]: https://www.rfc-editor.org/rfc/rfc8489
//! [RFC 8445]: https://www.rfc-editor.org/rfc/rfc8445
//! [RFC 8656]: https://www.rfc-editor.org/rfc/rfc8656
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod attribute;
pub mod builder;
pub mod channel_data;
pub mod error;
pub mod framing;
pub mod integrity;
pub mod message;
#[cfg(feature = "serde")]
mod serde_impl;
pub mod transport;

pub use attribute::{Attribute, AttributeType, ErrorCode, RawAttribute};
pub use builder::{MessageBuilder, SliceBuf, WriteBuf};
pub use channel_data::{is_channel_data, ChannelData};
pub use error::StunError;
pub use framing::{next_rfc4571_frame, next_turn_frame, write_rfc4571, FrameStatus, TurnFrame};
#[cfg(feature = "std")]
pub use integrity::prepare;
pub use integrity::{userhash, IntegrityKey, LongTermAlgorithm, LongTermKey, PasswordPrep};
pub use message::{
    is_stun, Attributes, Class, Message, MessageType, Method, TransactionId, HEADER_LEN,
    MAGIC_COOKIE,
};
pub use transport::{Transport, TransportParseError};
