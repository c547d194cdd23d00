#!/bin/bash
# Makes every file in corpus/srtp from scratch: the captures, key logs and SDPs (by aiortc,
# pion and ffmpeg over 127.0.0.1), then the oracle files (oracle.py, libsrtp) for each.
#
#   bash corpus/srtp/make_captures.sh [--setup]     (as root: tshark records on lo)
#
# --setup first installs what it needs: Debian tshark, ffmpeg, golang-go and
# golang-github-pion-webrtc.v3-dev (pulls in pion dtls/srtp/ice/...), and a venv at
# $VENV (default /opt/corpus-srtp-venv) with PyPI aiortc (brings pyOpenSSL, PyAV, pylibsrtp,
# cryptography). Builds go to a temporary folder that is removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
VENV=${VENV:-/opt/corpus-srtp-venv}
PY=$VENV/bin/python

if [ "${1:-}" = "--setup" ]; then
    apt-get install -y tshark ffmpeg golang-go golang-github-pion-webrtc.v3-dev
    [ -x "$PY" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install aiortc==1.16.0 pylibsrtp==1.0.0 cryptography pyOpenSSL
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"

# 1. aiortc, one call per SRTP protection profile that it offers
for p in SRTP_AES128_CM_SHA1_80:aiortc-aes128-cm-sha1-80 \
         SRTP_AES128_CM_SHA1_32:aiortc-aes128-cm-sha1-32 \
         SRTP_AEAD_AES_128_GCM:aiortc-aead-aes128-gcm \
         SRTP_AEAD_AES_256_GCM:aiortc-aead-aes256-gcm; do
    timeout 120 "$PY" aiortc_call.py --profile "${p%%:*}" --out "${p##*:}" --seconds 3
done

# 2. pion/webrtc (Debian's), VP8 and Opus encoded beforehand by ffmpeg
timeout 900 sh pion/build.sh "$work/pion"
timeout 60 ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi \
    -i testsrc=size=160x120:rate=15 -t 4 -c:v libvpx -b:v 150k -deadline realtime "$work/v.ivf"
timeout 60 ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi \
    -i sine=frequency=440:sample_rate=48000 -t 4 -c:a libopus -page_duration 20000 "$work/a.ogg"
for p in SRTP_AES128_CM_HMAC_SHA1_80:pion-aes128-cm-sha1-80 \
         SRTP_AEAD_AES_128_GCM:pion-aead-aes128-gcm; do
    timeout 120 python3 pion_capture.py --bin "$work/pion/pion_call" --profile "${p%%:*}" \
        --ivf "$work/v.ivf" --ogg "$work/a.ogg" --out "${p##*:}" --seconds 3
done

# 3. ffmpeg SDES-SRTP
timeout 120 python3 ffmpeg_sdes.py --out ffmpeg-sdes-vp8-opus --seconds 6

# 4. the oracle
for n in aiortc-aes128-cm-sha1-80 aiortc-aes128-cm-sha1-32 aiortc-aead-aes128-gcm aiortc-aead-aes256-gcm \
         pion-aes128-cm-sha1-80 pion-aead-aes128-gcm; do
    timeout 300 "$PY" oracle.py "$n.pcapng" --keylog "$n.keylog"
done
timeout 300 "$PY" oracle.py ffmpeg-sdes-vp8-opus.pcapng --sdes ffmpeg-sdes-vp8-opus.sdp
chmod 644 ./*.pcapng

# 5. aiortc's own exported keying material must equal the oracle's exporter output
for n in aiortc-*.producer.txt; do
    n=${n%.producer.txt}
    mine=$(awk '/^exporter/ {print $NF}' "$n.keys.txt")
    for theirs in $(grep -o 'exported=[0-9a-f]*' "$n.producer.txt" | cut -d= -f2); do
        [ "$mine" = "$theirs" ] || { echo "$n: exporter differs from aiortc's" >&2; exit 1; }
    done
done

{
    tshark -v 2>/dev/null | head -1
    ffmpeg -version | head -1
    "$PY" -c 'import aiortc, aioice, OpenSSL, av, pylibsrtp, cryptography, sys
from OpenSSL import SSL
print(f"aiortc {aiortc.__version__}, aioice {aioice.__version__}, pyOpenSSL {OpenSSL.__version__}"
      f" ({SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode()}), PyAV {av.__version__}, "
      f"pylibsrtp {pylibsrtp.__version__}, cryptography {cryptography.__version__}, "
      f"Python {sys.version.split()[0]}")'
    dpkg-query -W -f '${Package} ${Version}\n' golang-go golang-github-pion-webrtc.v3-dev \
        golang-github-pion-dtls.v2-dev golang-github-pion-srtp.v2-dev golang-github-pion-ice.v2-dev
    echo "debian $(cat /etc/debian_version)"
    echo "generated: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > VERSIONS.txt
echo "done"
