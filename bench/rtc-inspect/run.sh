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

cargo build --release --quiet -p webrtc-inspect --bin rtc-inspect --manifest-path "$root/Cargo.toml"
target=${CARGO_TARGET_DIR:-$root/target}
bin="$target/release/rtc-inspect"

# Warm the page cache so that both tools read from memory.
cat "$capture" > /dev/null

# Wall-clock and CPU (user + system) time of each tool, best of three runs.
python3 - "$bin" "$capture" "$work" <<'PY'
import resource, subprocess, sys, time
bin_, capture, work = sys.argv[1:]
ours = [bin_, "streams", capture]
# tshark needs "Decode As" to see RTP on these ports; rtc-inspect needs no hint.
theirs = ["tshark", "-n", "-r", capture, "-q", "-z", "rtp,streams",
          "-d", "udp.port==5004,rtp", "-d", "udp.port==5006,rtp"]

def measure(cmd, out):
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with open(out, "w") as f:
            subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if best is None or wall < best[0]:
            best = (wall, cpu)
    return best

o = measure(ours, f"{work}/ours.txt")
t = measure(theirs, f"{work}/tshark.txt")
for name, path in (("rtc-inspect streams", "ours.txt"), ("tshark -q -z rtp,streams", "tshark.txt")):
    print(f"--- {name}")
    print(open(f"{work}/{path}").read().rstrip())
print(f"rtc-inspect streams: wall {o[0]:.2f} s, cpu {o[1]:.2f} s")
print(f"tshark rtp,streams:  wall {t[0]:.2f} s, cpu {t[1]:.2f} s")
print(f"ratio: wall {t[0] / o[0]:.1f}x, cpu {t[1] / o[1]:.1f}x")
PY
