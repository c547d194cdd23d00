#!/bin/sh
# Instructions per SDP parse and write of corpus/sdp/chromium-av-offer.sdp, for
# sdp-parse and its peers, counted by callgrind (independent of machine load).
# Each figure is (count for N runs - count for 0 runs) / N.
#
# Usage: bench/sdp-instructions.sh [N]    (default N = 200)
# Builds with CARGO_TARGET_DIR (default: target) in release mode.
set -eu
N=${1:-200}
cd "$(dirname "$0")/.."
cargo build -q --release -p bench --example sdp_instructions
BIN=${CARGO_TARGET_DIR:-target}/release/examples/sdp_instructions
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$@" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
for op in parse write; do
    for c in sdp-parse sdp-parse-lenient sdp-types webrtc-sdp webrtc-rs-sdp; do
        [ "$op" = write ] && [ "$c" = sdp-parse-lenient ] && continue
        base=$(count "$op" "$c" 0)
        full=$(count "$op" "$c" "$N")
        echo "$op $c $(( (full - base) / N ))"
    done
done
