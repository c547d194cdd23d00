//! The crate's error (`Diagnostic`) is `Error + Send + Sync + 'static`.

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn errors_are_send_sync_errors() {
    is_error::<sdp_parse::Diagnostic>();
    let e = sdp_parse::SessionDescription::parse("v=0\r\nx\r\n").unwrap_err();
    assert_eq!((e.line, e.severity), (2, sdp_parse::Severity::Error));
    assert!(e.to_string().starts_with("line 2, column 1: "), "{e}");
}
