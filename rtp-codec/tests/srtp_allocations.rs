//! Protecting and unprotecting allocate nothing per packet once an SSRC's state exists and
//! the protect buffer has the overhead reserved, under every profile.
#![cfg(feature = "srtp")]

use rtp_codec::srtp::{Config, Context, ALL_PROFILES};
use rtp_codec::RtpPacketBuilder;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;

// The count is process-wide, so this file holds a single test that measures.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn no_allocation_per_packet() {
    let config = Config::default().with_mki(&[1, 2, 3, 4]);
    for profile in ALL_PROFILES {
        let key = vec![3; profile.master_key_len()];
        let salt = vec![4; profile.master_salt_len()];
        let mut tx = Context::with_config(profile, &key, &salt, &config).unwrap();
        let mut rx = Context::with_config(profile, &key, &salt, &config).unwrap();
        let mut plain = Vec::new();
        let mut buf = Vec::with_capacity(1500);
        let rr = [0x80, 201, 0, 1, 0, 0, 0, 42];
        let run = |tx: &mut Context, rx: &mut Context, buf: &mut Vec<u8>, plain: &[u8]| {
            buf.clear();
            buf.extend_from_slice(plain);
            tx.protect_rtp(buf).unwrap();
            let n = rx.unprotect_rtp(buf).unwrap();
            assert_eq!(&buf[..n], plain);
            buf.clear();
            buf.extend_from_slice(&rr);
            tx.protect_rtcp(buf).unwrap();
            let n = rx.unprotect_rtcp(buf).unwrap();
            assert_eq!(buf[..n], rr);
        };
        // The first packet of the SSRC makes its state, each way.
        RtpPacketBuilder::new(96, 65000, 0, 42)
            .with_payload(&[9; 1000])
            .write_to(&mut plain)
            .unwrap();
        run(&mut tx, &mut rx, &mut buf, &plain);

        let region = Region::new(GLOBAL);
        for i in 1..2000u16 {
            // Through a rollover at 65535.
            plain[2..4].copy_from_slice(&65000u16.wrapping_add(i).to_be_bytes());
            run(&mut tx, &mut rx, &mut buf, &plain);
        }
        let change = region.change();
        assert_eq!(
            (change.allocations, change.reallocations),
            (0, 0),
            "{profile}"
        );
        assert_eq!(rx.roc(42), Some(1));
    }
}
