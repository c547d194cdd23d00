#!/bin/sh
# Instructions per iteration of each scenario of bench/benches/rtp.rs (RTP parse, RTCP
# compound parse, RTP write, RTP rewrite of SSRC/seq/ts) for rtp-codec and its peers, counted by callgrind
# (independent of machine load). Each figure is (count for N runs - count for 0 runs) / N.
#
# Usage: bench/rtp-instructions.sh [N]    (default N = 2000)
# Builds with CARGO_TARGET_DIR (default: target) in release mode.
set -eu
N=${1:-2000}
cd "$(dirname "$0")/.."
cargo build -q --release -p bench --example rtp_instructions
BIN=${CARGO_TARGET_DIR:-target}/release/examples/rtp_instructions
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$@" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
for op in rtp_parse rtcp_parse rtp_write; do
    for c in rtp-codec rtp-types webrtc-rs rtc; do
        [ "$op" = rtcp_parse ] && [ "$c" = rtp-types ] && c=rtcp-types
        base=$(count "$op" "$c" 0)
        full=$(count "$op" "$c" "$N")
        echo "$op $c $(( (full - base) / N ))"
    done
done
for c in rtp-codec rtp-types webrtc-rs; do
    base=$(count rtp_rewrite "$c" 0)
    full=$(count rtp_rewrite "$c" "$N")
    echo "rtp_rewrite $c $(( (full - base) / N ))"
done
