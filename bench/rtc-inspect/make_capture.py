#!/usr/bin/env python3
"""Builds a large RTP capture for the `rtc-inspect streams` speed comparison.

Repeats the RTP and RTCP frames of corpus/pcap/ffmpeg-vp8-opus.pcap (VP8 and Opus from
ffmpeg, captured on loopback) until at least N packets are written, shifting capture times,
RTP sequence numbers and RTP timestamps on each repetition so that every stream stays
continuous: no loss, no duplicates, no reordering. Only the Python standard library is used.

Usage: make_capture.py OUT.pcap [N]   (N defaults to 1,000,000)
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "corpus", "pcap", "ffmpeg-vp8-opus.pcap")


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        raise SystemExit(f"{path}: expected a little-endian pcap")
    nanos = magic == 0xA1B23C4D
    header = data[:24]
    off = 24
    frames = []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        body = data[off + 16:off + 16 + incl]
        off += 16 + incl
        t = sec * 1_000_000_000 + (frac if nanos else frac * 1000)
        frames.append((t, bytearray(body), orig))
    return header, nanos, frames


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out_path = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    header, nanos, frames = read_pcap(SOURCE)
    # Ethernet (14) + IPv4 (20) + UDP (8): the RTP header starts at byte 42.
    rtp_at = 42
    t0 = frames[0][0]
    span = frames[-1][0] - t0 + 20_000_000  # one cycle, plus a 20 ms gap
    # Per SSRC: packets per cycle and RTP timestamp span per cycle.
    per_ssrc = {}
    for _, body, _ in frames:
        b1 = body[rtp_at + 1]
        if body[rtp_at] >> 6 == 2 and not 192 <= b1 <= 223:
            ssrc = struct.unpack(">I", body[rtp_at + 8:rtp_at + 12])[0]
            ts = struct.unpack(">I", body[rtp_at + 4:rtp_at + 8])[0]
            n, lo, hi = per_ssrc.get(ssrc, (0, ts, ts))
            per_ssrc[ssrc] = (n + 1, min(lo, ts), max(hi, ts))
    written = 0
    cycle = 0
    with open(out_path, "wb") as out:
        out.write(header)
        while written < target:
            for t, body, orig in frames:
                if written >= target:
                    break
                body = bytearray(body)
                b1 = body[rtp_at + 1]
                if body[rtp_at] >> 6 == 2 and not 192 <= b1 <= 223:
                    ssrc = struct.unpack(">I", body[rtp_at + 8:rtp_at + 12])[0]
                    n, lo, hi = per_ssrc[ssrc]
                    seq, ts = struct.unpack(">HI", body[rtp_at + 2:rtp_at + 8])
                    seq = (seq + cycle * n) & 0xFFFF
                    # Timestamps advance by one cycle's span plus one frame interval.
                    step = (hi - lo) + (hi - lo) // max(n - 1, 1)
                    ts = (ts + cycle * step) & 0xFFFFFFFF
                    body[rtp_at + 2:rtp_at + 8] = struct.pack(">HI", seq, ts)
                    # The UDP checksum is left as captured (loopback: 0 or stale);
                    # neither tool checks it.
                tt = t + cycle * span
                sec, sub = divmod(tt, 1_000_000_000)
                frac = sub if nanos else sub // 1000
                out.write(struct.pack("<IIII", sec, frac, len(body), orig))
                out.write(body)
                written += 1
            cycle += 1
    print(f"{out_path}: {written} packets, {cycle} repetitions of {os.path.basename(SOURCE)}")


if __name__ == "__main__":
    main()
