//! The crate's errors are `Error + Send + Sync + 'static`.

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn errors_are_send_sync_errors() {
    is_error::<ice_agent::IceError>();
    is_error::<ice_agent::CandidateParseError>();
    let e = ice_agent::Candidate::parse("1 1 sctp 1 127.0.0.1 9 typ host").unwrap_err();
    assert!(
        matches!(
            e,
            ice_agent::CandidateParseError::Invalid {
                field: "transport",
                ..
            }
        ),
        "{e:?}"
    );
}
