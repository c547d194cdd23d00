#!/bin/sh
# Instructions per packet of each scenario of bench/benches/srtp.rs (protect and unprotect of
# a 1224-byte RTP packet and of a 100-byte RR+SDES compound, under AES_CM_128_HMAC_SHA1_80 and
# AEAD_AES_128_GCM) for rtp-codec, rtc-srtp and libsrtp, counted by callgrind (independent
# of machine load). Only Bench::run_chunk, the part the benchmark times, is counted
# (--toggle-collect), so set-up, chunk preparation and fresh receiving contexts are not;
# each figure is that count / N.
#
# Valgrind's CPU does not offer SHA-NI, so under callgrind every SHA-1 (the HMAC of the
# AES-CM suite, in all three implementations) runs its software fallback, while the
# benchmark uses SHA-NI where the CPU has it: the AES-CM counts overstate the HMAC's share.
# AES-NI and PCLMULQDQ are used in both.
#
# Usage: bench/srtp-instructions.sh [N]    (default N = 2000)
# Builds with CARGO_TARGET_DIR (default: target) in release mode.
set -eu
N=${1:-2000}
cd "$(dirname "$0")/.."
cargo build -q --release -p bench --example srtp_instructions
BIN=${CARGO_TARGET_DIR:-target}/release/examples/srtp_instructions
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
        --toggle-collect='*run_chunk*' "$BIN" "$@" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
for suite in aes_cm_128_hmac_sha1_80 aead_aes_128_gcm; do
    for op in protect_rtp unprotect_rtp protect_rtcp unprotect_rtcp; do
        for c in rtp-codec rtc-srtp libsrtp; do
            echo "$op $suite $c $(( $(count "$op" "$suite" "$c" "$N") / N ))"
        done
    done
done
