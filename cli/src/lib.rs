//! Shared code of the `sdp-inspect` and `rtc-inspect` binaries.
#![forbid(unsafe_code)]
pub mod rtc;
pub mod sdp;
