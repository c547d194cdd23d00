//! `sdp-inspect`: summarise, check and rewrite SDP files.
fn main() {
    eprintln!("sdp-inspect: not built yet");
    std::process::exit(2);
}
