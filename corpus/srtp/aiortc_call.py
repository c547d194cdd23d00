#!/opt/corpus-srtp-venv/bin/python
"""One aiortc DTLS-SRTP call between two RTCPeerConnections on 127.0.0.1, recorded.

  aiortc_call.py --profile SRTP_AES128_CM_SHA1_80 --out DIR/NAME [--seconds 3] [--dtls 1.2]

Both peers send audio (Opus, a 440 or 660 Hz tone) and video (VP8, a moving bar, 320x240)
for --seconds once ICE+DTLS are up, then close. Both offer only the SRTP protection profile
named by --profile: aiortc's own list is replaced by that one entry (SRTP_AES128_CM_SHA1_32,
which aiortc does not list, is added as an entry of aiortc's own SRTPProtectionProfile type).
tshark records UDP on lo while the call runs; the capture is then cut down to the frames of
the call's own ports (taken from the candidates in the two SDPs), so unrelated loopback
traffic on a shared machine stays out.

Writes:
  NAME.pcapng          the capture
  NAME.keylog          NSS key log lines that OpenSSL (through pyOpenSSL's keylog callback on
                       the SSL.Context aiortc builds) reported for both ends
  NAME.offer.sdp       the offerer's localDescription.sdp, exact bytes
  NAME.answer.sdp      the answerer's localDescription.sdp, exact bytes
  NAME.producer.txt    versions, the DTLS role of each peer, and the keying material aiortc
                       itself exported (RFC 5764 EXTRACTOR-dtls_srtp) - a cross-check for the
                       oracle, which derives it from the key log instead

Runs as root (tshark on lo). Every step is bounded in time.
"""
import argparse
import asyncio
import fractions
import math
import os
import sys
import time

import aioice.ice
import aiortc
import av
import OpenSSL
from OpenSSL import SSL
from aiortc import RTCPeerConnection, rtcdtlstransport
from aiortc.contrib.media import MediaBlackhole
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capture import Tshark, candidate_ports, keep_ports, temp_pcap  # noqa: E402

keylog_lines: list[bytes] = []
exports: list[str] = []


def loopback_only(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    # aioice would list every non-loopback address; this call stays on 127.0.0.1.
    return ["127.0.0.1"]


def install_hooks(profile_name: str, dtls: str) -> None:
    aioice.ice.get_host_addresses = loopback_only

    known = list(rtcdtlstransport.SRTP_PROFILES)
    if profile_name == "SRTP_AES128_CM_SHA1_32":
        # not in aiortc's list, but OpenSSL and libsrtp have it (RFC 5764 §4.1.2: 32-bit
        # SRTP tag, 80-bit SRTCP tag); aiortc's own record type describes it
        known.append(rtcdtlstransport.SRTPProtectionProfile(
            libsrtp_profile=rtcdtlstransport.Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
            openssl_profile=b"SRTP_AES128_CM_SHA1_32", key_length=16, salt_length=14))
    chosen = [p for p in known if p.openssl_profile.decode() == profile_name]
    if not chosen:
        sys.exit(f"profile {profile_name} not offered by this aiortc/libsrtp build")
    rtcdtlstransport.SRTP_PROFILES[:] = chosen

    original_ctx = rtcdtlstransport.RTCCertificate._create_ssl_context

    def ctx_with_keylog(self, srtp_profiles):
        ctx = original_ctx(self, srtp_profiles)
        ctx.set_keylog_callback(lambda conn, line: keylog_lines.append(bytes(line)))
        if dtls == "1.2":
            ctx.set_max_proto_version(0xFEFD)  # DTLS1_2_VERSION
        return ctx

    rtcdtlstransport.RTCCertificate._create_ssl_context = ctx_with_keylog

    original_setup = rtcdtlstransport.RTCDtlsTransport._setup_srtp

    def setup_and_record(self):
        original_setup(self)
        prof = self._ssl.get_selected_srtp_profile()
        for p in self._srtp_profiles:
            if p.openssl_profile == prof:
                n = 2 * (p.key_length + p.salt_length)
                km = self._ssl.export_keying_material(b"EXTRACTOR-dtls_srtp", n)
                exports.append(f"dtls-role={self._role} profile={prof.decode()} "
                               f"version={self._ssl.get_protocol_version_name()} "
                               f"cipher={self._ssl.get_cipher_name()} "
                               f"exported={km.hex()}")

    rtcdtlstransport.RTCDtlsTransport._setup_srtp = setup_and_record


class Tone(AudioStreamTrack):
    """A 440 Hz tone, 20 ms frames of 48 kHz mono s16."""

    def __init__(self, freq: float):
        super().__init__()
        self.freq = freq
        self.n = 0

    async def recv(self):
        if self.n == 0:
            self.start = time.monotonic()
        wait = self.start + self.n / 48000 - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        samples = 960
        out = av.AudioFrame(format="s16", layout="mono", samples=samples)
        data = bytearray()
        for i in range(samples):
            v = int(8000 * math.sin(2 * math.pi * self.freq * (self.n + i) / 48000))
            data += v.to_bytes(2, "little", signed=True)
        out.planes[0].update(bytes(data))
        out.pts, out.sample_rate, out.time_base = self.n, 48000, fractions.Fraction(1, 48000)
        self.n += samples
        return out


class Bar(VideoStreamTrack):
    """320x240 grey frames with a white bar moving across."""

    def __init__(self):
        super().__init__()
        self.i = 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        w, h = 320, 240
        x0 = (self.i * 8) % w
        frame = av.VideoFrame(width=w, height=h, format="yuv420p")
        rows = [bytes(235 if x0 <= x < x0 + 24 else 90 for x in range(w)), bytes([128]) * (w // 2),
                bytes([(self.i * 3) % 256]) * (w // 2)]
        for plane, row, ph in zip(frame.planes, rows, (h, h // 2, h // 2)):
            plane.update((row + bytes(plane.line_size - len(row))) * ph)
        frame.pts, frame.time_base = pts, time_base
        self.i += 1
        return frame


async def wait_for(pred, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        await asyncio.sleep(0.05)
    return False


async def call(seconds: float) -> tuple[str, str, dict]:
    offerer, answerer = RTCPeerConnection(), RTCPeerConnection()
    sinks = []
    for pc in (offerer, answerer):
        pc.addTrack(Tone(440 if pc is offerer else 660))
        pc.addTrack(Bar())

        @pc.on("track")
        def on_track(track, pc=pc):
            sink = MediaBlackhole()
            sink.addTrack(track)
            sinks.append(sink)

    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription)
    ok = await wait_for(lambda: offerer.connectionState == "connected"
                        and answerer.connectionState == "connected", 15)
    if not ok:
        raise SystemExit(f"call did not connect: {offerer.connectionState} "
                         f"{answerer.connectionState}")
    for s in sinks:
        await s.start()
    await asyncio.sleep(seconds)
    roles = {
        "offerer": offerer.getTransceivers()[0].sender.transport._role,
        "answerer": answerer.getTransceivers()[0].sender.transport._role,
    }
    for s in sinks:
        await s.stop()
    await offerer.close()
    await answerer.close()
    return offerer.localDescription.sdp, answerer.localDescription.sdp, roles


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--dtls", choices=["1.2", "any"], default="any",
                    help="1.2: cap the SSL context at DTLS 1.2")
    args = ap.parse_args()
    install_hooks(args.profile, args.dtls)

    raw = temp_pcap()
    cap = Tshark(raw)
    try:
        offer, answer, roles = asyncio.run(asyncio.wait_for(call(args.seconds), 40))
    finally:
        cap.stop()
    ports = sorted(candidate_ports(offer) | candidate_ports(answer))
    keep_ports(raw, args.out + ".pcapng", ports)
    os.unlink(raw)

    with open(args.out + ".keylog", "wb") as f:
        f.write(b"".join(l + b"\n" for l in keylog_lines))
    with open(args.out + ".offer.sdp", "wb") as f:
        f.write(offer.encode())
    with open(args.out + ".answer.sdp", "wb") as f:
        f.write(answer.encode())
    with open(args.out + ".producer.txt", "w") as f:
        f.write(f"aiortc {aiortc.__version__}, pyOpenSSL {OpenSSL.__version__}, "
                f"{SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode()}, PyAV {av.__version__}, "
                f"Python {sys.version.split()[0]}\n")
        f.write(f"offered SRTP profile: {args.profile}; DTLS cap: {args.dtls}\n")
        f.write(f"DTLS roles: offerer={roles['offerer']} answerer={roles['answerer']}\n")
        f.write(f"call ports: {' '.join(map(str, ports))}\n")
        for e in exports:
            f.write(e + "\n")
    print("wrote", args.out, "ports", ports, "exports", len(exports), "keylog", len(keylog_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
