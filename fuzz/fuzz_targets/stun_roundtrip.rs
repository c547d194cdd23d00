//! Parse, decode every attribute, write them back with the builder, parse again: the second
//! parse must give the same message type, transaction ID and decoded attributes, and
//! writing those again gives the same bytes (the builder's encoding is a fixed point).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stun_turn_codec::{Attribute, Message, MessageBuilder};

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = Message::parse(data) else {
        return;
    };
    let Ok(attrs) = msg
        .typed_attributes()
        .collect::<Result<Vec<Attribute<'_>>, _>>()
    else {
        return;
    };
    let mut out = Vec::with_capacity(data.len());
    let mut b = MessageBuilder::with_type(&mut out, msg.message_type(), msg.transaction_id());
    for a in &attrs {
        b.attribute(a);
    }
    let len = b.finish().expect("re-encoding a parsed message fits");
    assert_eq!(len, out.len());
    let again = Message::parse(&out).expect("builder output parses");
    assert_eq!(again.message_type(), msg.message_type());
    assert_eq!(again.transaction_id(), msg.transaction_id());
    let attrs2: Vec<Attribute<'_>> = again
        .typed_attributes()
        .collect::<Result<_, _>>()
        .expect("builder output decodes");
    assert_eq!(attrs, attrs2);
    let mut out2 = Vec::with_capacity(out.len());
    let mut b = MessageBuilder::with_type(&mut out2, again.message_type(), again.transaction_id());
    for a in &attrs2 {
        b.attribute(a);
    }
    b.finish().expect("re-encoding the builder output fits");
    assert_eq!(out2, out);
});
