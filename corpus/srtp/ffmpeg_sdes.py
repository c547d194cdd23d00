#!/usr/bin/python3
"""SDES-SRTP from ffmpeg's RTP muxer over loopback, recorded.

  ffmpeg_sdes.py --out DIR/NAME [--seconds 6]

ffmpeg (Debian's, libvpx and libopus) sends VP8 of lavfi's testsrc (160x120, 15 fps) as
SRTP with AES_CM_128_HMAC_SHA1_80 to 127.0.0.1:5020 and Opus of a 440 Hz sine as SRTP with
AES_CM_128_HMAC_SHA1_32 to 127.0.0.1:5022, with SRTCP sender reports to 5021 and 5023, from
local ports 5030-5033. The two master keys (30 random bytes each: 16 key || 14 salt) are
passed with -srtp_out_params; ffmpeg's -sdp_file writes them back as a=crypto lines. Sockets
bound here on 5020-5023 take the datagrams (and drop them) so that no ICMP unreachable ends
up in the capture.

Writes NAME.pcapng (tshark on lo), NAME.sdp (ffmpeg's -sdp_file, exact bytes) and
NAME.producer.txt (ffmpeg's version and the command line). Runs as root (tshark on lo).
"""
import argparse
import base64
import os
import signal
import socket
import subprocess
import sys
import time

PORTS = (5020, 5021, 5022, 5023, 5030, 5031, 5032, 5033)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=6.0)
    args = ap.parse_args()
    kv = base64.b64encode(os.urandom(30)).decode()
    ka = base64.b64encode(os.urandom(30)).decode()
    sinks = []
    for p in (5020, 5021, 5022, 5023):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", p))
        sinks.append(s)
    flt = "udp and host 127.0.0.1 and (" + " or ".join(f"port {p}" for p in PORTS) + ")"
    pcap = args.out + ".pcapng"
    if os.path.exists(pcap):
        os.unlink(pcap)
    cap = subprocess.Popen(["tshark", "-q", "-i", "lo", "-f", flt, "-w", pcap],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.set_blocking(cap.stderr.fileno(), False)
    buf, end = b"", time.monotonic() + 10
    while b"Capturing on" not in buf and time.monotonic() < end:
        time.sleep(0.1)
        buf += cap.stderr.read() or b""
    t = f"{args.seconds:g}"
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
           "-f", "lavfi", "-i", "testsrc=size=160x120:rate=15",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
           "-map", "0:v", "-t", t, "-c:v", "libvpx", "-b:v", "150k", "-deadline", "realtime",
           "-f", "rtp", "-payload_type", "96",
           "-srtp_out_suite", "AES_CM_128_HMAC_SHA1_80", "-srtp_out_params", kv,
           "srtp://127.0.0.1:5020?localport=5030",
           "-map", "1:a", "-t", t, "-c:a", "libopus", "-f", "rtp", "-payload_type", "97",
           "-srtp_out_suite", "AES_CM_128_HMAC_SHA1_32", "-srtp_out_params", ka,
           "srtp://127.0.0.1:5022?localport=5032",
           "-sdp_file", args.out + ".sdp"]
    try:
        subprocess.run(cmd, check=True, timeout=args.seconds + 30)
    finally:
        time.sleep(0.5)
        cap.send_signal(signal.SIGINT)
        try:
            cap.wait(10)
        except subprocess.TimeoutExpired:
            cap.kill()
            cap.wait()
        for s in sinks:
            s.close()
    version = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True,
                             timeout=30).stdout.splitlines()[0]
    with open(args.out + ".producer.txt", "w") as f:
        f.write(version + "\n")
        f.write("command: " + " ".join(cmd) + "\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
