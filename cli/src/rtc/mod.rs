//! The library behind `rtc-inspect`: capture reading, demultiplexing and decoding of
//! STUN/TURN, RTP/RTCP and DTLS, and the per-subcommand analyses.

pub mod capture;
pub mod decode;
pub mod ice;
pub mod net;
pub mod plot;
pub mod records;
pub mod rtcp;
pub mod streams;
pub mod tcp;
