#!/usr/bin/env python3
"""Writes impaired-rtp.pcap: three RTP streams over loopback with loss, duplication,
reordering and arrival jitter, plus impaired-rtp.truth.json (what was done to each stream).

The oracle impaired-rtp.rtp-streams.txt is tshark's view of the capture:

    tshark -n -r impaired-rtp.pcap -q -z rtp,streams \
        -d udp.port==5020,rtp -d udp.port==5022,rtp -d udp.port==5024,rtp

Deterministic: the same seed gives the same bytes.
"""
import json
import random
import struct

SEED = 7983
T0 = 1_795_400_000.0


def ip_checksum(hdr: bytes) -> int:
    s = sum(struct.unpack("!10H", hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(sport: int, dport: int, payload: bytes) -> bytes:
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    ip = ip[:10] + struct.pack("!H", ip_checksum(ip)) + ip[12:]
    eth = b"\x00" * 12 + b"\x08\x00"
    return eth + ip + udp


def rtp(pt: int, seq: int, ts: int, ssrc: int, marker: bool, payload: bytes) -> bytes:
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                       ts & 0xFFFFFFFF, ssrc) + payload


def stream(rng, name, sport, dport, pt, ssrc, seq0, ts0, clock, ptime, count,
           loss, burst_at, dup, reorder, max_shift, jitter_ms, cn_every):
    """Returns (arrival time, datagram) pairs and the ground truth."""
    step = clock * ptime // 1000
    sent = []
    for i in range(count):
        # Talkspurts: every `cn_every` packets a comfort-noise packet (PT 13) and a
        # marker-bit packet after a timestamp jump, as an audio sender with DTX does.
        is_cn = cn_every and i % cn_every == cn_every - 1
        marker = i == 0 or (cn_every and i % cn_every == 0)
        payload = bytes([0xD5]) * (1 if is_cn else clock * ptime // 1000 // (6 if clock == 48000 else 1))
        sent.append((i, rtp(13 if is_cn else pt, seq0 + i, ts0 + i * step, ssrc, marker, payload)))
    truth = {"stream": name, "ssrc": ssrc, "sent": count, "dropped": [], "duplicated": [], "held_back": []}
    # The first two and the last twenty packets are never impaired: the receiver's
    # probation (RFC 3550 A.1) needs two in a row, and the last packet arriving in order makes
    # "expected" the same for every way of counting.
    out = []
    for i, pkt in sent:
        seq = (seq0 + i) & 0xFFFF
        t = T0 + i * ptime / 1000 + abs(rng.gauss(0, jitter_ms / 1000))
        safe = i < 2 or i >= count - 20
        if not safe and (rng.random() < loss or burst_at <= i < burst_at + 8):
            truth["dropped"].append(seq)
            continue
        if not safe and rng.random() < reorder:
            # Held back behind the next `shift` packets.
            shift = rng.randint(1, max_shift)
            t += shift * ptime / 1000 + 0.001
            truth["held_back"].append(seq)
        out.append((t, i, pkt))
        if not safe and rng.random() < dup:
            out.append((t + rng.uniform(0.0001, 0.004), i, pkt))
            truth["duplicated"].append(seq)
    # "late": arrived after a packet with a higher sequence number (first copies only).
    seen, highest, late = set(), -1, []
    for t, i, _ in sorted(out, key=lambda o: o[0]):
        if i in seen:
            continue
        seen.add(i)
        if i < highest:
            late.append((seq0 + i) & 0xFFFF)
        highest = max(highest, i)
    truth["late"] = late
    return [(t, frame(sport, dport, p)) for t, _, p in out], truth


def main():
    rng = random.Random(SEED)
    all_frames, truths = [], []
    for args in [
        # name, sport, dport, pt, ssrc, seq0, ts0, clock, ptime, count, loss, burst_at,
        # dup, reorder, max_shift, jitter_ms, cn_every
        ("pcmu-wrap", 40000, 5020, 0, 0xA1B2C3D4, 65300, 4_294_900_000, 8000, 20, 500,
         0.03, 10**9, 0.01, 0.02, 3, 2.0, 0),
        ("pcma-burst-dtx", 40002, 5022, 8, 0x0BADCAFE, 1000, 160_000, 8000, 20, 400,
         0.01, 200, 0.02, 0.03, 5, 4.0, 50),
        ("opus-dynamic", 40004, 5024, 111, 0x5EED0111, 30000, 0, 48000, 20, 300,
         0.04, 10**9, 0.02, 0.04, 4, 3.0, 0),
    ]:
        frames, truth = stream(rng, *args)
        all_frames += frames
        truths.append(truth)
    all_frames.sort(key=lambda f: f[0])
    with open("impaired-rtp.pcap", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))  # nanosecond pcap
        for t, data in all_frames:
            sec = int(t)
            nsec = int(round((t - sec) * 1e9))
            f.write(struct.pack("<IIII", sec, nsec, len(data), len(data)) + data)
    with open("impaired-rtp.truth.json", "w") as f:
        json.dump(truths, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
