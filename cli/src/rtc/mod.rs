//! The library behind `rtc-inspect`: capture reading, demultiplexing and decoding of
//! STUN/TURN, RTP/RTCP and DTLS, and the per-subcommand analyses.
//!
//! # Pipeline
//!
//! [`capture`] streams pcap and pcapng records (constant memory: one reader buffer, frames
//! borrowed from it); [`net`] finds the UDP or TCP payload behind Ethernet (VLAN), Linux
//! cooked v1/v2, BSD loopback or raw IP; [`tcp`] reassembles TCP directions in order and
//! frames them (RFC 4571 or RFC 8656 §12.5); [`records`] ties these together into one
//! [`records::Record`] per application message. [`decode`] classifies each message with the
//! RFC 7983 first-byte rules (`rtp_codec::demux`, no port hints for media) and decodes it.
//! What the first byte alone would invent is checked against the flow: a DTLS 1.3 unified
//! header needs a DTLS handshake on its flow, well-known non-media ports (DNS, mDNS, SIP, …)
//! are named instead of decoded, an RTCP header must fit its datagram, and `streams` reports
//! an SSRC only after RFC 3550 §A.1's probation.
//!
//! # SRTP
//!
//! [`keyring`] holds the user's SRTP keys and binds each to the flow directions it
//! authenticates: [`keylog`] reads NSS key logs, [`dtls_srtp`] follows the capture's DTLS
//! handshakes and exports the keys of each (RFC 5764 §4.2), SDES keys come from the SDPs'
//! `a=crypto` lines (RFC 4568). [`decrypt`] writes a plaintext capture.
//!
//! # Exit status
//!
//! 0 on success; 1 when the capture ends in a damaged record (everything before it was
//! read and reported); 2 on usage errors and unreadable inputs. Per-frame problems
//! (snapshot-length cuts, unparsable link headers, IP fragments that never complete) are warnings on stderr
//! naming the frame.
//!
//! # JSON contract
//!
//! Field names below are stable; other fields may be added.
//!
//! **`decode HEX --json`** prints one object, and **`packets --json`** one per line with, in
//! addition, `frame` (1-based, as Wireshark numbers frames; for TCP the frame that completed
//! the message), `time` (seconds since the first frame), `epoch` (capture time, a decimal
//! string with nanoseconds), `transport` (`"udp"`/`"tcp"`), `src` and `dst`
//! (`"IP:PORT"`), `bytes`, and `truncated: true` for snapshot-length cuts. By `kind`:
//!
//! | `kind` | fields |
//! |---|---|
//! | `stun` | `class` (`request`, `indication`, `success-response`, `error-response`), `method`, `message_type`, `transaction_id` (hex), `length`, `attributes` (`[{name, type, value}]`), `integrity` and `fingerprint` (`"ok"`, `"failed"`, `"absent"`, and for integrity `"unverified"` when no key applies), `integrity_key` (which key verified), `inner` (the decoded DATA of Send/Data indications) |
//! | `channel-data` | `channel`, `length`, `inner` (the decoded payload) |
//! | `rtp` | `ssrc` (number), `seq`, `timestamp`, `payload_type`, `marker`, `csrcs`, `extension_profile`, `extensions` (`[{id, data}]`, RFC 8285 elements; with an SDP's `a=extmap` also `uri` and, for the extensions of [`hdrext`], the decoded `value`), `header_len`, `payload_len`, `padding_len` |
//! | `rtcp` | `packets`: `[{type, ...}]` with `type` one of `sr`, `rr`, `sdes`, `bye`, `app`, `nack` (with `lost`), `tmmbr`, `tmmbn`, `twcc`, `ccfb`, `pli`, `sli`, `rpsi`, `fir`, `remb`, `afb`, `xr`, or the packet type number; a compound that does not parse to its end (SRTCP, RFC 3711 §3.4) reports only its clear header (`header_only: true`, `ssrc`) and keeps the rest in `read_as_plain`, with `error` |
//! | `dtls` | `records`: `[{content_type, content_type_name, version, epoch, sequence_number, length, handshake_type}]`; DTLS 1.3 unified headers (RFC 9147 §4) as `{content_type: "ciphertext", epoch_bits, sequence_number_bits, length}` |
//! | `unknown` | `bytes`, `demux` (what the first byte said), `error` (why that protocol did not parse) |
//!
//! With keys (`--keylog`, an `--sdp` with `a=crypto`, `--srtp-key`, or secrets embedded in
//! a pcapng), every RTP and RTCP packet also has `srtp`: `"ok"` (authenticated and decrypted:
//! the fields above are the plaintext's, and an RTCP compound is decoded in full),
//! `"auth-failed"`, `"replayed"`, `"too-old"`, `"no-key"` (no key applies to its flow) or
//! `"malformed"`; `srtp_key` names the key that decided (`key log, DTLS 1.2 client write key
//! (SRTP_AES128_CM_HMAC_SHA1_80)`, `offer.sdp a=crypto AES_CM_128_HMAC_SHA1_80`, …),
//! `srtp_error` says what was tried and why it failed, `srtp_note` what was odd about a
//! packet that still decrypted (a 32-bit SRTCP tag under a `_32` profile). A DTLS datagram
//! that completed a handshake whose secret is known has `srtp_keys`. Without keys these
//! fields are absent. `streams --json` then has `srtp: {ok, auth_failed, replayed, no_key}`
//! per stream.
//!
//! **`streams --json`** prints an array, one object per RTP stream (keyed by source,
//! destination and SSRC, as Wireshark keys them), ordered by first packet:
//! `ssrc` (number), `payload_type`, `payload_types`, `codec`, `clock_rate`, `src`, `dst`,
//! `start`, `end`, `packets`, `lost`, `duplicates`, `reordered`, `min_delta_ms`,
//! `mean_delta_ms`, `max_delta_ms`, `max_jitter_ms`, `mean_jitter_ms`, `bitrate` (bit/s),
//! and with `--interval` an `intervals` array of `{start, packets, lost, jitter_ms, bitrate}`.
//! Without an SDP only RFC 3551 static payload types have a clock rate, so jitter is 0 for
//! dynamic ones, exactly as in `tshark -z rtp,streams`.
//!
//! **`rtcp --json`** prints one object per RTCP datagram: the per-packet fields above and
//! `packets`.
//!
//! **`ice --json`** prints `{messages, transactions, pairs, nominated}`: every STUN message
//! with `integrity`/`fingerprint` as above and `via` (`direct`, `send-indication`,
//! `data-indication`, `channel-data`); transactions with `retransmissions`, `outcome`
//! (`success`, `error`, `none`), `error`, `rtt_ms`, `use_candidate`; candidate pairs with
//! `requests`, `successes`, `errors`, `use_candidate`, `nominated`, `relayed`; and
//! `nominated`, `{local, remote}` of the pair whose USE-CANDIDATE check succeeded
//! (RFC 8445 §8.1.1), or `null`.

pub mod capture;
pub mod decode;
pub mod decrypt;
pub mod defrag;
pub mod dtls_srtp;
pub mod hdrext;
pub mod ice;
pub mod keylog;
pub mod keyring;
pub mod net;
pub mod plot;
pub mod records;
pub mod rtcp;
pub mod streams;
pub mod tcp;
