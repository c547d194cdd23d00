#!/bin/sh
# two-calls.pcapng: the aiortc AEAD-GCM call and the pion AES-CM call in one capture
# (Wireshark's mergecap, frames in time order), for readers that must keep two calls' keys
# apart: each call's key log decrypts its own packets only.
set -eu
cd "$(dirname "$0")"
mergecap -F pcapng -w two-calls.pcapng aiortc-aead-aes128-gcm.pcapng pion-aes128-cm-sha1-80.pcapng
