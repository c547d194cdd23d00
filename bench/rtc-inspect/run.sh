#!/bin/sh
# Speed of `rtc-inspect streams` against `tshark -q -z rtp,streams` on a capture of at
# least one million RTP packets (built by make_capture.py; not committed).
#
# Usage: bench/rtc-inspect/run.sh [PACKETS] [WORKDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
packets=${1:-1000000}
work=${2:-${TMPDIR:-/tmp}/rtc-inspect-bench}
mkdir -p "$work"
capture="$work/rtp-$packets.pcap"

[ -f "$capture" ] || python3 "$here/make_capture.py" "$capture" "$packets"
ls -l "$capture"

cargo build --release --quiet -p cli --bin rtc-inspect --manifest-path "$root/Cargo.toml"
target=${CARGO_TARGET_DIR:-$root/target}
bin="$target/release/rtc-inspect"

# Warm the page cache so that both tools read from memory.
cat "$capture" > /dev/null

now() { date +%s.%N; }

t0=$(now)
"$bin" streams "$capture" > "$work/ours.txt"
t1=$(now)
# tshark needs "Decode As" to see RTP on these ports; rtc-inspect needs no hint.
tshark -n -r "$capture" -q -z rtp,streams \
    -d udp.port==5004,rtp -d udp.port==5006,rtp > "$work/tshark.txt"
t2=$(now)

echo "--- rtc-inspect streams"
cat "$work/ours.txt"
echo "--- tshark -q -z rtp,streams"
cat "$work/tshark.txt"
python3 - "$t0" "$t1" "$t2" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:])
ours, theirs = t1 - t0, t2 - t1
print(f"rtc-inspect streams: {ours:.2f} s")
print(f"tshark rtp,streams:  {theirs:.2f} s")
print(f"ratio: {theirs / ours:.1f}x")
PY
