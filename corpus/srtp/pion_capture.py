#!/usr/bin/python3
"""Records one pion/webrtc call (pion/pion_call.go) on lo.

  pion_capture.py --bin BUILD/pion_call --profile SRTP_AEAD_AES_128_GCM \\
                  --ivf v.ivf --ogg a.ogg --out DIR/NAME [--seconds 3]

Starts tshark on lo, runs the call (pion_call writes NAME.keylog and the two SDPs), stops
tshark, and keeps only the frames of the call's ports (the a=candidate ports of the two SDPs).
Writes NAME.pcapng and NAME.producer.txt (Debian package versions of pion and go).
Runs as root (tshark on lo).
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capture import Tshark, candidate_ports, keep_ports, temp_pcap  # noqa: E402

PACKAGES = ["golang-github-pion-webrtc.v3-dev", "golang-github-pion-dtls.v2-dev",
            "golang-github-pion-srtp.v2-dev", "golang-github-pion-ice.v2-dev",
            "golang-github-pion-interceptor-dev", "golang-go"]


def main() -> int:
    ap = argparse.ArgumentParser()
    for a in ("--bin", "--profile", "--ivf", "--ogg", "--out"):
        ap.add_argument(a, required=True)
    ap.add_argument("--seconds", default="3")
    args = ap.parse_args()
    raw = temp_pcap()
    cap = Tshark(raw)
    try:
        subprocess.run([args.bin, "-profile", args.profile, "-ivf", args.ivf, "-ogg", args.ogg,
                        "-out", args.out, "-seconds", args.seconds],
                       check=True, timeout=60, env={**os.environ, "GOMAXPROCS": "1"})
    finally:
        cap.stop()
    ports = set()
    for side in ("offer", "answer"):
        with open(f"{args.out}.{side}.sdp", newline="") as f:
            ports |= candidate_ports(f.read())
    keep_ports(raw, args.out + ".pcapng", ports)
    os.unlink(raw)
    versions = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n"] + PACKAGES,
                              capture_output=True, text=True, timeout=30).stdout
    with open(args.out + ".producer.txt", "w") as f:
        f.write(versions)
        f.write(f"offered SRTP profile: {args.profile}\n")
        f.write(f"call ports: {' '.join(map(str, sorted(ports)))}\n")
        f.write("pion_call built by pion/build.sh: Debian's pion with dtls.Config.KeyLogWriter set\n")
    print("wrote", args.out, "ports", sorted(ports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
