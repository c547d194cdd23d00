#!/bin/sh
# pion-aes128-cm-sha1-80.dsb.pcapng: the pion call with its NSS key log embedded in a pcapng
# Decryption Secrets Block by Wireshark's editcap, for readers that take keys from the file.
set -eu
cd "$(dirname "$0")"
editcap --inject-secrets tls,pion-aes128-cm-sha1-80.keylog \
    pion-aes128-cm-sha1-80.pcapng pion-aes128-cm-sha1-80.dsb.pcapng
