#!/bin/sh
# `rtc-inspect decrypt` against `rtc-inspect packets` (no keys) on one SRTP capture of N
# packets (default 900,000: about 1 GB), best of three runs each, wall clock and CPU.
# Needs pylibsrtp in /opt/srtp-venv (bash .ci/run installs it). Files go to $DIR
# (default $TMPDIR/rtc-inspect-bench), never committed.
set -eu
N=${1:-900000}
DIR=${2:-${TMPDIR:-/tmp}/rtc-inspect-bench}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$DIR"
cap="$DIR/srtp-$N.pcap"
keyfile="$cap.key"
if [ ! -s "$keyfile" ]; then
    /opt/srtp-venv/bin/python "$root/bench/rtc-inspect/make_srtp_capture.py" "$cap" "$N" > "$keyfile"
fi
key=$(cat "$keyfile")
cargo build --release --quiet -p webrtc-inspect --bin rtc-inspect --manifest-path "$root/Cargo.toml"
bin=${CARGO_TARGET_DIR:-$root/target}/release/rtc-inspect
ls -l "$cap"
cat "$cap" > /dev/null
best() {
    label=$1; shift
    for _ in 1 2 3; do
        /usr/bin/time -f "$label %e s wall %U+%S s CPU %M KB max RSS" "$@" > /dev/null 2>> "$DIR/time.log" || true
    done
    grep "^$label" "$DIR/time.log" | sort -k2 -n | head -1
    : > "$DIR/time.log"
}
: > "$DIR/time.log"
best packets "$bin" packets "$cap"
best decrypt "$bin" decrypt "$cap" -o "$DIR/plain.pcapng" --srtp-key "$key"
# The same without the cost of writing a file as large as the input to the page cache.
best decrypt-devnull "$bin" decrypt "$cap" -o /dev/null --srtp-key "$key"
best copy dd if="$cap" of="$DIR/copy.pcap" bs=1M
rm -f "$DIR/copy.pcap"
rm -f "$DIR/plain.pcapng"
