#!/bin/sh
# Builds pion_call against Debian 12's packaged pion (golang-github-pion-webrtc.v3-dev 3.1.56,
# golang-github-pion-dtls.v2-dev 2.2.6, ...) with Debian's go (1.19) in GOPATH mode: no module
# download. pion/webrtc 3.1 does not let a user set pion/dtls's Config.KeyLogWriter, so the
# build adds it through `go build -overlay` (the installed sources are left as they are): a
# copy of webrtc's dtlstransport.go with one added field, `KeyLogWriter: DTLSKeyLogWriter,`,
# in the dtls.Config it builds, and a new file in package webrtc that declares
# `var DTLSKeyLogWriter io.Writer`. Nothing else of pion changes.
#
#   sh build.sh OUTDIR      -> OUTDIR/pion_call
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out/overlay"
src=/usr/share/gocode/src/github.com/pion/webrtc
grep -q 'InsecureSkipVerifyHello: true,' "$src/dtlstransport.go"
sed 's/^\(\t*\)InsecureSkipVerifyHello: true,$/&\n\1KeyLogWriter:            DTLSKeyLogWriter,/' \
    "$src/dtlstransport.go" > "$out/overlay/dtlstransport.go"
grep -q 'KeyLogWriter:            DTLSKeyLogWriter,' "$out/overlay/dtlstransport.go"
cat > "$out/overlay/keylog.go" <<'GO'
package webrtc

import "io"

// DTLSKeyLogWriter, when set, receives pion/dtls's NSS key log lines.
var DTLSKeyLogWriter io.Writer
GO
cat > "$out/overlay.json" <<JSON
{"Replace": {"$src/dtlstransport.go": "$out/overlay/dtlstransport.go",
             "$src/zz_keylog_overlay.go": "$out/overlay/keylog.go"}}
JSON
# GOPATH mode resolves .../webrtc/v3 to Debian's .../webrtc (its go.mod names the /v3 path)
# only for an importer in GOPATH that has a go.mod itself ("minimal module compatibility"):
# the program goes into a GOPATH of its own, ahead of Debian's, with a go.mod beside it.
mkdir -p "$out/gopath/src/pioncall"
cp "$here/pion_call.go" "$out/gopath/src/pioncall/main.go"
printf 'module pioncall\n\ngo 1.19\n' > "$out/gopath/src/pioncall/go.mod"
cd "$out/gopath/src/pioncall"
GOPATH="$out/gopath:/usr/share/gocode" GO111MODULE=off GOFLAGS=-p=1 GOMAXPROCS=1 \
    GOCACHE="$out/cache" go build -p 1 -overlay "$out/overlay.json" -o "$out/pion_call" .
