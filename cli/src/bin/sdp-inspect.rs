//! `sdp-inspect`: summarise, check and rewrite SDP files (see `--help`).
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    webrtc_inspect::sdp::main()
}
