#!/usr/bin/env python3
"""Writes a pcap of N SRTP packets (AES_CM_128_HMAC_SHA1_80, protected by libsrtp through
pylibsrtp) and the matching rtc-inspect key option, for timing `rtc-inspect decrypt` against
`rtc-inspect packets` on the same file (bench/rtc-inspect/decrypt.sh).

usage: make_srtp_capture.py OUT.pcap N    (prints the --srtp-key value)"""
import base64
import struct
import sys

import pylibsrtp

out, n = sys.argv[1], int(sys.argv[2])
key = bytes(range(30))
policy = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND,
                          srtp_profile=pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80)
session = pylibsrtp.Session(policy=policy)
payload = bytes((i * 7) & 0xff for i in range(1100))
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(n):
        seq = i & 0xffff
        rtp = struct.pack("!BBHII", 0x80, 96, seq, (i * 3000) & 0xffffffff, 0x1234abcd) + payload
        srtp = session.protect(rtp)
        udp = struct.pack("!HHHH", 5000, 5004, 8 + len(srtp), 0) + srtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
        frame = b"\x00" * 12 + b"\x08\x00" + ip + udp
        t = i * 0.001
        f.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(frame), len(frame)))
        f.write(frame)
print("127.0.0.1:5004=AES_CM_128_HMAC_SHA1_80:" + base64.b64encode(key).decode())
