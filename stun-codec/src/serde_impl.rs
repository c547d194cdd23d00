//! `Serialize` for the decoded forms (feature `serde`), shaped for JSON output: attributes
//! are objects with the RFC name (`"XOR-MAPPED-ADDRESS"`), the numeric type and a value.

use core::fmt;

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::attribute::{Attribute, AttributeType};
use crate::channel_data::ChannelData;
use crate::message::{Message, Method, TransactionId};

/// Bytes as lowercase hex, written without allocating.
struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

struct HexSer<'a>(&'a [u8]);

impl Serialize for HexSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Hex(self.0))
    }
}

struct DisplaySer<T: fmt::Display>(T);

impl<T: fmt::Display> Serialize for DisplaySer<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for TransactionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Hex(&self.0))
    }
}

impl Serialize for Method {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for AttributeType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

struct Types<I>(I);

impl<I: Iterator<Item = AttributeType> + Clone> Serialize for Types<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for t in self.0.clone() {
            seq.serialize_element(&t)?;
        }
        seq.end()
    }
}

/// `{"name": ..., "type": ..., "value": ...}`; `value` is absent for flag attributes.
impl Serialize for Attribute<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.attr_type();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &t)?;
        m.serialize_entry("type", &t.0)?;
        match self {
            Self::MappedAddress(a)
            | Self::XorMappedAddress(a)
            | Self::XorMappedAddressLegacy(a)
            | Self::AlternateServer(a)
            | Self::XorPeerAddress(a)
            | Self::XorRelayedAddress(a)
            | Self::ResponseOrigin(a)
            | Self::OtherAddress(a) => m.serialize_entry("value", &DisplaySer(a))?,
            Self::Username(v)
            | Self::Realm(v)
            | Self::Nonce(v)
            | Self::Software(v)
            | Self::AlternateDomain(v) => m.serialize_entry("value", v)?,
            Self::UserHash(v) => m.serialize_entry("value", &HexSer(&v[..]))?,
            Self::MessageIntegrity(v) => m.serialize_entry("value", &HexSer(&v[..]))?,
            Self::MessageIntegritySha256(v)
            | Self::Data(v)
            | Self::Padding(v)
            | Self::AccessToken(v)
            | Self::Unknown { value: v, .. } => m.serialize_entry("value", &HexSer(v))?,
            Self::Fingerprint(v) => {
                m.serialize_entry("value", &DisplaySer(format_args!("{v:#010x}")))?;
            }
            Self::ErrorCode(e) => m.serialize_entry("value", e)?,
            Self::AddressErrorCode(e) => m.serialize_entry("value", e)?,
            Self::PasswordAlgorithms(p) => {
                struct Algs<'a>(crate::attribute::PasswordAlgorithms<'a>);
                impl Serialize for Algs<'_> {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        let mut seq = s.serialize_seq(None)?;
                        for a in self.0.iter() {
                            seq.serialize_element(&Alg(a))?;
                        }
                        seq.end()
                    }
                }
                m.serialize_entry("value", &Algs(*p))?;
            }
            Self::PasswordAlgorithm(p) => m.serialize_entry("value", &Alg(*p))?,
            Self::UnknownAttributes(u) => m.serialize_entry("value", &Types(u.iter()))?,
            Self::Priority(v)
            | Self::Lifetime(v)
            | Self::ConnectionId(v)
            | Self::CacheTimeout(v) => {
                m.serialize_entry("value", v)?;
            }
            Self::IceControlled(v) | Self::IceControlling(v) | Self::ReservationToken(v) => {
                m.serialize_entry("value", v)?;
            }
            Self::ChannelNumber(v) | Self::ResponsePort(v) => m.serialize_entry("value", v)?,
            Self::RequestedAddressFamily(f) | Self::AdditionalAddressFamily(f) => {
                m.serialize_entry("value", f)?;
            }
            Self::EvenPort(r) => m.serialize_entry("value", r)?,
            Self::RequestedTransport(p) => m.serialize_entry("value", p)?,
            Self::Icmp(i) => m.serialize_entry("value", i)?,
            Self::ChangeRequest {
                change_ip,
                change_port,
            } => {
                struct Cr(bool, bool);
                impl Serialize for Cr {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        let mut st = s.serialize_struct("ChangeRequest", 2)?;
                        st.serialize_field("change_ip", &self.0)?;
                        st.serialize_field("change_port", &self.1)?;
                        st.end()
                    }
                }
                m.serialize_entry("value", &Cr(*change_ip, *change_port))?;
            }
            Self::UseCandidate | Self::DontFragment => {}
        }
        m.end()
    }
}

struct Alg<'a>(crate::attribute::PasswordAlgorithm<'a>);

impl Serialize for Alg<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PasswordAlgorithm", 2)?;
        let name = match self.0.algorithm.0 {
            1 => "MD5",
            2 => "SHA-256",
            _ => "unknown",
        };
        st.serialize_field("algorithm", name)?;
        st.serialize_field("number", &self.0.algorithm.0)?;
        st.serialize_field("parameters", &HexSer(self.0.parameters))?;
        st.end()
    }
}

/// One attribute of a message for serialisation: decoded, or raw with the decode error.
struct MessageAttr<'a> {
    raw: crate::attribute::RawAttribute<'a>,
    tid: TransactionId,
}

impl Serialize for MessageAttr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match Attribute::decode(self.raw, &self.tid) {
            Ok(a) => a.serialize(s),
            Err(e) => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("name", &self.raw.attr_type)?;
                m.serialize_entry("type", &self.raw.attr_type.0)?;
                m.serialize_entry("value", &HexSer(self.raw.value))?;
                m.serialize_entry("error", &DisplaySer(e))?;
                m.end()
            }
        }
    }
}

struct MessageAttrs<'a>(Message<'a>);

impl Serialize for MessageAttrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tid = self.0.transaction_id();
        let mut seq = s.serialize_seq(None)?;
        for raw in self.0.attributes() {
            seq.serialize_element(&MessageAttr { raw, tid })?;
        }
        seq.end()
    }
}

/// `{"class", "method", "transaction_id", "length", "attributes"}`.
impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Message", 5)?;
        st.serialize_field("class", &self.class())?;
        st.serialize_field("method", &self.method())?;
        st.serialize_field("transaction_id", &self.transaction_id())?;
        st.serialize_field("length", &(self.len() - crate::HEADER_LEN))?;
        st.serialize_field("attributes", &MessageAttrs(*self))?;
        st.end()
    }
}

/// `{"channel", "length", "data"}` (data as hex).
impl Serialize for ChannelData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ChannelData", 3)?;
        st.serialize_field("channel", &self.channel())?;
        st.serialize_field("length", &self.data().len())?;
        st.serialize_field("data", &HexSer(self.data()))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn class_names() {
        assert_eq!(
            serde_json::to_string(&crate::Class::SuccessResponse).unwrap(),
            "\"success-response\""
        );
    }
}
