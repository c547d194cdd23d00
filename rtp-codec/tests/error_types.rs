//! The crate's errors are `Error + Send + Sync + 'static`, so that callers can box them, send
//! them across threads and use `?` into `anyhow`-style errors.

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn errors_are_send_sync_errors() {
    is_error::<rtp_codec::RtpError>();
    is_error::<rtp_codec::srtp::SrtpError>();
    // Messages are lowercase with no trailing period.
    let e = rtp_codec::RtpPacket::parse(&[0x80]).unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("rtp header truncated at byte 0"), "{msg}");
    assert!(!msg.ends_with('.'));
}
