//! `rtc-inspect`: decode STUN, TURN, RTP and RTCP from captures and hex.
fn main() {
    eprintln!("rtc-inspect: not built yet");
    std::process::exit(2);
}
