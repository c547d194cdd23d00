//! The crate's errors are `Error + Send + Sync + 'static`.

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn errors_are_send_sync_errors() {
    is_error::<stun_turn_codec::StunError>();
    is_error::<stun_turn_codec::TransportParseError>();
    let e = stun_turn_codec::Message::parse(&[0, 1]).unwrap_err();
    assert!(!e.to_string().ends_with('.'), "{e}");
}
