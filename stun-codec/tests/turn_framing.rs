//! ChannelData (RFC 8656 §12.4), stream framing (§12.5, RFC 6544/4571) and the slice writer.

use stun_turn_codec::{
    next_rfc4571_frame, next_turn_frame, write_rfc4571, ChannelData, Class, FrameStatus,
    IntegrityKey, Message, MessageBuilder, Method, SliceBuf, StunError, TransactionId, Transport,
    TurnFrame,
};

#[test]
fn channel_data_udp_is_unpadded_and_stream_is_padded() {
    let mut udp = Vec::new();
    assert_eq!(
        ChannelData::write(&mut udp, 0x4001, b"hello", Transport::Udp).unwrap(),
        9
    );
    assert_eq!(udp, [0x40, 0x01, 0x00, 0x05, b'h', b'e', b'l', b'l', b'o']);
    let mut tcp = Vec::new();
    assert_eq!(
        ChannelData::write(&mut tcp, 0x4001, b"hello", Transport::Tcp).unwrap(),
        12
    );
    assert_eq!(&tcp[..9], &udp[..]);
    assert_eq!(&tcp[9..], [0, 0, 0]);

    let cd = ChannelData::parse(&udp, Transport::Udp).unwrap();
    assert_eq!(
        (cd.channel(), cd.data(), cd.wire_len()),
        (0x4001, &b"hello"[..], 9)
    );
    // A padded datagram is fine too (padding "MAY be included"), and ignored.
    let cd = ChannelData::parse(&tcp, Transport::Udp).unwrap();
    assert_eq!(cd.data(), b"hello");
    let cd = ChannelData::parse(&tcp, Transport::Tcp).unwrap();
    assert_eq!((cd.data(), cd.wire_len()), (&b"hello"[..], 12));
    // On a stream the padding must be there.
    assert!(matches!(
        ChannelData::parse(&udp, Transport::Tcp),
        Err(StunError::Truncated {
            offset: 4,
            expected: 8,
            actual: 5
        })
    ));
    assert!(matches!(
        ChannelData::parse(&udp[..8], Transport::Udp),
        Err(StunError::Truncated {
            offset: 4,
            expected: 5,
            actual: 4
        })
    ));
}

#[test]
fn channel_numbers_outside_range_are_rejected() {
    let mut buf = Vec::new();
    assert_eq!(
        ChannelData::write(&mut buf, 0x5000, b"x", Transport::Udp),
        Err(StunError::ChannelNumber(0x5000))
    );
    assert_eq!(
        ChannelData::write(&mut buf, 0x3fff, b"x", Transport::Udp),
        Err(StunError::ChannelNumber(0x3fff))
    );
    assert!(buf.is_empty());
    assert_eq!(
        ChannelData::parse(&[0x50, 0x00, 0x00, 0x00], Transport::Udp),
        Err(StunError::ChannelNumber(0x5000))
    );
    assert_eq!(
        ChannelData::write(&mut buf, 0x4fff, &[], Transport::Tcp).unwrap(),
        4
    );
    assert_eq!(
        ChannelData::parse(&buf, Transport::Tcp).unwrap().data(),
        b""
    );
}

fn binding(tid: u8) -> Vec<u8> {
    let mut v = Vec::new();
    MessageBuilder::new(
        &mut v,
        Class::Request,
        Method::BINDING,
        TransactionId([tid; 12]),
    )
    .software("x")
    .fingerprint()
    .finish()
    .unwrap();
    v
}

#[test]
fn turn_stream_splits_stun_and_channel_data_and_asks_for_more() {
    let mut stream = binding(1);
    let stun_len = stream.len();
    ChannelData::write(&mut stream, 0x4000, b"abcdef", Transport::Tcp).unwrap();
    stream.extend(binding(2));
    let total = stream.len();

    // Every prefix short of a whole frame asks for more, with the right target.
    for cut in 0..stun_len {
        match next_turn_frame(&stream[..cut]).unwrap() {
            FrameStatus::NeedMore { needed } => {
                let expect = if cut == 0 {
                    1
                } else if cut < 20 {
                    20
                } else {
                    stun_len
                };
                assert_eq!(needed, expect, "cut {cut}");
            }
            other => panic!("cut {cut}: {other:?}"),
        }
    }
    let mut pos = 0;
    let mut seen = Vec::new();
    while pos < total {
        match next_turn_frame(&stream[pos..]).unwrap() {
            FrameStatus::Complete { frame, len } => {
                match frame {
                    TurnFrame::Stun(m) => seen.push(format!("stun {}", m.transaction_id())),
                    TurnFrame::ChannelData(c) => {
                        seen.push(format!(
                            "cd {:x} {}",
                            c.channel(),
                            String::from_utf8_lossy(c.data())
                        ));
                    }
                }
                pos += len;
            }
            FrameStatus::NeedMore { .. } => panic!("complete stream reported incomplete at {pos}"),
        }
    }
    assert_eq!(
        seen,
        [
            "stun 010101010101010101010101",
            "cd 4000 abcdef",
            "stun 020202020202020202020202"
        ]
    );
    // ChannelData cut inside its padding still needs the padding.
    let cd_start = stun_len;
    assert_eq!(
        next_turn_frame(&stream[cd_start..cd_start + 10]).unwrap(),
        FrameStatus::NeedMore { needed: 12 }
    );
}

#[test]
fn turn_stream_rejects_garbage_early() {
    assert_eq!(
        next_turn_frame(&[0x80, 0, 0, 0]),
        Err(StunError::UnknownFrame {
            offset: 0,
            byte: 0x80
        })
    );
    // A STUN header with a bad cookie is an error as soon as the header is in, not NeedMore.
    let mut h = binding(3);
    h[4] = 0;
    assert!(matches!(
        next_turn_frame(&h[..20]),
        Err(StunError::MagicCookie { .. })
    ));
}

#[test]
fn rfc4571_round_trip() {
    let pkt = binding(4);
    let mut buf = Vec::new();
    assert_eq!(write_rfc4571(&mut buf, &pkt).unwrap(), pkt.len() + 2);
    assert_eq!(&buf[..2], &(pkt.len() as u16).to_be_bytes());
    assert_eq!(
        next_rfc4571_frame(&buf[..1]).unwrap(),
        FrameStatus::NeedMore { needed: 2 }
    );
    assert_eq!(
        next_rfc4571_frame(&buf[..5]).unwrap(),
        FrameStatus::NeedMore {
            needed: pkt.len() + 2
        }
    );
    match next_rfc4571_frame(&buf).unwrap() {
        FrameStatus::Complete { frame, len } => {
            assert_eq!(frame, &pkt[..]);
            assert_eq!(len, buf.len());
            assert!(stun_turn_codec::is_stun(frame));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn slice_writer_returns_length_and_reports_overflow() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let mut vec = Vec::new();
    let n_vec = MessageBuilder::new(
        &mut vec,
        Class::Request,
        Method::BINDING,
        TransactionId([9; 12]),
    )
    .username("a:b")
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    let mut arr = [0xAAu8; 128];
    let n = MessageBuilder::new(
        SliceBuf::new(&mut arr),
        Class::Request,
        Method::BINDING,
        TransactionId([9; 12]),
    )
    .username("a:b")
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    assert_eq!(n, n_vec);
    assert_eq!(&arr[..n], &vec[..]);
    let msg = Message::parse(&arr[..n]).unwrap();
    msg.verify_integrity(&key).unwrap();
    msg.verify_fingerprint().unwrap();

    let mut small = [0u8; 40];
    let err = MessageBuilder::new(
        SliceBuf::new(&mut small),
        Class::Request,
        Method::BINDING,
        TransactionId([9; 12]),
    )
    .username("a:b")
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap_err();
    assert!(
        matches!(err, StunError::BufferTooSmall { capacity: 40, .. }),
        "{err:?}"
    );
}

#[test]
fn builder_refuses_attributes_after_fingerprint() {
    let mut v = Vec::new();
    let err = MessageBuilder::new(
        &mut v,
        Class::Request,
        Method::BINDING,
        TransactionId([1; 12]),
    )
    .fingerprint()
    .software("late")
    .finish()
    .unwrap_err();
    assert_eq!(
        err,
        StunError::BuilderMisuse("attribute after MESSAGE-INTEGRITY or FINGERPRINT")
    );
}

#[test]
fn appends_after_existing_bytes_in_a_vec() {
    let mut v = vec![1, 2, 3];
    let n = MessageBuilder::new(
        &mut v,
        Class::Indication,
        Method::SEND,
        TransactionId([5; 12]),
    )
    .data(b"payload")
    .fingerprint()
    .finish()
    .unwrap();
    assert_eq!(v.len(), 3 + n);
    let m = Message::parse(&v[3..]).unwrap();
    assert_eq!(m.class(), Class::Indication);
    assert_eq!(m.method(), Method::SEND);
    assert_eq!(m.data().unwrap(), Some(&b"payload"[..]));
    m.verify_fingerprint().unwrap();
}

#[cfg(feature = "bytes")]
#[test]
fn builder_writes_into_bytes_mut() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let mut bm = bytes::BytesMut::new();
    let n = MessageBuilder::new(
        &mut bm,
        Class::Request,
        Method::BINDING,
        TransactionId([2; 12]),
    )
    .username("u:v")
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    assert_eq!(n, bm.len());
    let m = Message::parse(&bm).unwrap();
    assert_eq!(m.username().unwrap(), Some("u:v"));
    m.verify_integrity(&key).unwrap();
    m.verify_fingerprint().unwrap();
    let mut cd = bytes::BytesMut::new();
    ChannelData::write(&mut cd, 0x4002, b"xy", Transport::Tcp).unwrap();
    assert_eq!(&cd[..], [0x40, 0x02, 0, 2, b'x', b'y', 0, 0]);
}
