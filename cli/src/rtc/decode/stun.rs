//! STUN messages as records: the message's fields, its integrity with the session's keys,
//! and for Send and Data indications the decoded DATA.

use std::fmt::Write as _;
use std::net::SocketAddr;

use serde_json::Value;
use stun_turn_codec::{Message, Transport};

use super::record::{Record, StunRecord};
use super::session::{fingerprint, Session};

pub(super) fn stun(
    m: &Message<'_>,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
    depth: u8,
) -> Record {
    let message = match serde_json::to_value(m) {
        Ok(Value::Object(o)) => o,
        _ => serde_json::Map::new(),
    };
    let (integrity, integrity_key) = keys.check(m);
    let mut head = format!(
        "stun {} {} tid={}",
        m.method(),
        m.class(),
        hex::encode(m.transaction_id().0)
    );
    let names: Vec<String> = m.attributes().map(|a| a.attr_type.to_string()).collect();
    if !names.is_empty() {
        let _ = write!(head, " [{}]", names.join(","));
    }
    if let Ok(Some(e)) = m.error_code() {
        let _ = write!(head, " error={} {}", e.code, e.reason);
    }
    if let Ok(Some(a)) = m.xor_mapped_address() {
        let _ = write!(head, " mapped={a}");
    }
    // TURN Send/Data indications carry a datagram of the peer session (RFC 8656 §11).
    let inner = match m.data() {
        Ok(Some(d)) if depth == 0 => Some(Box::new(super::record(
            d,
            Transport::Udp,
            flow,
            keys,
            depth + 1,
        ))),
        _ => None,
    };
    Record::Stun(StunRecord {
        message,
        message_type: m.message_type().to_u16(),
        integrity: integrity.name(),
        integrity_key,
        fingerprint: fingerprint(m).name(),
        inner,
        head,
    })
}
