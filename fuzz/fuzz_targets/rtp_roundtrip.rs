//! A parsed RTP packet written back is byte for byte the input; its elements rewritten with
//! the extension writer parse to the same elements.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::{ExtensionElement, ExtensionForm, RtpPacket};

fuzz_target!(|data: &[u8]| {
    let Ok(p) = RtpPacket::parse(data) else {
        return;
    };
    let mut out = Vec::new();
    p.to_builder()
        .write_to(&mut out)
        .expect("a parsed packet is writable");
    assert_eq!(out, data);

    let Ok(elements) = p
        .extensions()
        .collect::<Result<Vec<ExtensionElement<'_>>, _>>()
    else {
        return;
    };
    if elements.iter().any(|e| e.id == 0) {
        return;
    }
    let mut b = p.to_builder();
    b.extension = Some(rtp_codec::Extension::Elements {
        form: ExtensionForm::Auto,
        elements: &elements,
    });
    let mut rebuilt = Vec::new();
    if b.write_to(&mut rebuilt).is_err() {
        return; // more than 65535 words of elements
    }
    let q = RtpPacket::parse(&rebuilt).expect("written packet parses");
    let again: Vec<ExtensionElement<'_>> = q
        .extensions()
        .collect::<Result<_, _>>()
        .expect("elements parse");
    assert_eq!(again, elements);
    assert_eq!(q.payload(), p.payload());
});
