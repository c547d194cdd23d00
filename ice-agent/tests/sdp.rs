//! Candidates from real SDPs through `sdp-parse` (feature `sdp`).
#![cfg(feature = "sdp")]

use ice_agent::{Candidate, CandidateKind, Transport};

fn candidates(file: &str) -> Vec<sdp_parse::Candidate<String>> {
    let path = format!("{}/../corpus/sdp/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let sdp = sdp_parse::SessionDescription::parse(&text).unwrap();
    sdp.media
        .iter()
        .flat_map(|m| m.candidates().map(|c| c.clone().into_owned()))
        .collect()
}

#[test]
fn chromium_candidates_convert_both_ways() {
    let all = candidates("chromium-call-offer.sdp");
    assert!(!all.is_empty());
    for c in &all {
        let ours = Candidate::try_from(c).unwrap();
        assert_eq!(ours.priority(), c.priority());
        assert_eq!(ours.address().port(), c.port());
        assert_eq!(ours.address().ip().to_string(), c.address());
        assert_eq!(ours.foundation(), c.foundation());
        assert_eq!(ours.kind(), CandidateKind::Host);
        // Back to sdp-parse: the same candidate (extensions such as generation dropped).
        let back = ours.to_sdp().unwrap();
        assert_eq!(back.foundation(), c.foundation());
        assert_eq!(back.priority(), c.priority());
        assert_eq!(back.address(), c.address());
        assert_eq!(back.port(), c.port());
        assert_eq!(back.candidate_type(), sdp_parse::CandidateType::Host);
        assert!(c
            .to_string()
            .starts_with(&back.to_string().replace(" tcptype passive", "")));
        assert_eq!(Candidate::try_from(&back).unwrap(), ours);
    }
    let tcp = all.iter().filter(|c| c.transport() == "tcp").count();
    let ours_tcp = all
        .iter()
        .filter(|c| Candidate::try_from(*c).unwrap().transport() == Transport::Tcp)
        .count();
    assert!(tcp > 0);
    assert_eq!(tcp, ours_tcp);
}

#[test]
fn srflx_with_related_address_and_mdns() {
    let c = sdp_parse::Candidate::parse_str(
        "candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 10.0.0.2 rport 5000 generation 0",
    )
    .unwrap();
    let ours = Candidate::try_from(&c).unwrap();
    assert_eq!(ours.kind(), CandidateKind::ServerReflexive);
    assert_eq!(
        ours.related_address(),
        Some("10.0.0.2:5000".parse().unwrap())
    );
    let back = ours.to_sdp().unwrap();
    assert_eq!(back.candidate_type(), sdp_parse::CandidateType::Srflx);
    assert!(
        back.to_string()
            .ends_with("typ srflx raddr 10.0.0.2 rport 5000"),
        "{back}"
    );
    let m = sdp_parse::Candidate::parse_str(
        "candidate:1 1 udp 2122260223 4b9d2e63-7e2f.local 54321 typ host",
    )
    .unwrap();
    let ours = Candidate::try_from(&m).unwrap();
    assert_eq!(ours.hostname(), Some("4b9d2e63-7e2f.local"));
    assert_eq!(ours.to_sdp().unwrap().address(), "4b9d2e63-7e2f.local");
    let bad = sdp_parse::Candidate::parse_str("candidate:1 1 udp 5 not_an_ip! 9 typ host");
    if let Ok(bad) = bad {
        assert!(Candidate::try_from(&bad).is_err());
    }
}

fn session(extra: &str) -> String {
    format!("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n{extra}m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\n")
}

/// `a=ice-pacing` (RFC 8839 §5.5) written from the local proposal and read into the
/// negotiated Ta (RFC 8445 §14.2).
#[test]
fn ice_pacing_both_ways() {
    use ice_agent::{IceAgent, IceConfig, IceError, IceRole};
    use std::time::{Duration, Instant};
    let config = IceConfig::default()
        .with_ta(Duration::from_millis(25))
        .unwrap();
    let a = IceAgent::new(config, IceRole::Controlling, [1; 32], Instant::now());
    let mut b = IceAgent::new(
        IceConfig::default(),
        IceRole::Controlled,
        [2; 32],
        Instant::now(),
    );
    // b's description carries a's proposal.
    let text = session(&format!("a={}\r\n", a.pacing_to_sdp()));
    assert!(text.contains("a=ice-pacing:25\r\n"));
    let sdp = sdp_parse::SessionDescription::parse(&text).unwrap();
    b.set_remote_pacing_from_sdp(&sdp).unwrap();
    assert_eq!(b.remote_pacing(), Some(Duration::from_millis(25)));
    assert_eq!(b.ta(), Duration::from_millis(25));
    // A description without the attribute proposes nothing: 50 ms.
    let text = session("");
    let sdp = sdp_parse::SessionDescription::parse(&text).unwrap();
    b.set_remote_pacing_from_sdp(&sdp).unwrap();
    assert_eq!(b.remote_pacing(), None);
    assert_eq!(b.ta(), IceConfig::DEFAULT_TA);
    // A malformed value is refused and changes nothing.
    b.set_remote_pacing(Some(Duration::from_millis(20)));
    for (bad, column) in [("a=ice-pacing:15ms\r\n", 3), ("a=ice-pacing\r\n", 1)] {
        let text = session(bad);
        let sdp = sdp_parse::SessionDescription::parse(&text).unwrap();
        assert_eq!(
            b.set_remote_pacing_from_sdp(&sdp),
            Err(IceError::InvalidPacing { column })
        );
        assert_eq!(b.ta(), Duration::from_millis(20));
    }
}
