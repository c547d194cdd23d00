//! DTLS records as the capture shows them (RFC 6347 §4.1 plaintext headers, RFC 9147 §4
//! unified headers), without decryption.

use super::record::DtlsRecordHeader;

fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        24 => "heartbeat",
        25 => "tls12_cid",
        26 => "ack",
        _ => "unknown",
    }
}

/// Walks the DTLS records of a datagram: DTLSPlaintext/DTLSCiphertext headers of RFC 6347
/// §4.1 (13 bytes), and DTLS 1.3 unified headers (RFC 9147 §4: first byte `001CSLEE`).
pub(super) fn dtls(data: &[u8]) -> Result<Vec<DtlsRecordHeader>, String> {
    let mut records = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let b = data[off];
        if b & 0xe0 == 0x20 {
            // Unified header: C (connection id), S (16-bit sequence), L (length present),
            // EE (low epoch bits). A connection id's length is not on the wire: we cannot
            // skip it, so stop there.
            let c = b & 0x10 != 0;
            let s16 = b & 0x08 != 0;
            let l = b & 0x04 != 0;
            let epoch = b & 0x03;
            if c {
                records.push(DtlsRecordHeader::Unified {
                    content_type: "ciphertext",
                    epoch_bits: epoch,
                    sequence_number_bits: None,
                    length: None,
                    connection_id: Some(true),
                });
                break;
            }
            let seq_len = if s16 { 2 } else { 1 };
            let hdr = 1 + seq_len + if l { 2 } else { 0 };
            let h = data
                .get(off..off + hdr)
                .ok_or_else(|| format!("unified header at offset {off} cut short"))?;
            let seq = if s16 {
                u32::from(u16::from_be_bytes([h[1], h[2]]))
            } else {
                u32::from(h[1])
            };
            let len = if l {
                usize::from(u16::from_be_bytes([h[1 + seq_len], h[2 + seq_len]]))
            } else {
                data.len() - off - hdr
            };
            if off + hdr + len > data.len() {
                return Err(format!(
                    "record at offset {off} of {len} bytes overruns the datagram"
                ));
            }
            records.push(DtlsRecordHeader::Unified {
                content_type: "ciphertext",
                epoch_bits: epoch,
                sequence_number_bits: Some(seq),
                length: Some(len),
                connection_id: None,
            });
            off += hdr + len;
        } else if (20..=26).contains(&b) {
            let h = data
                .get(off..off + 13)
                .ok_or_else(|| format!("record header at offset {off} cut short"))?;
            let version = u16::from_be_bytes([h[1], h[2]]);
            if h[1] != 0xfe {
                return Err(format!(
                    "record at offset {off} has version {version:#06x}, not DTLS"
                ));
            }
            let epoch = u16::from_be_bytes([h[3], h[4]]);
            let seq = u64::from_be_bytes([0, 0, h[5], h[6], h[7], h[8], h[9], h[10]]);
            let len = usize::from(u16::from_be_bytes([h[11], h[12]]));
            if off + 13 + len > data.len() {
                return Err(format!(
                    "record at offset {off} of {len} bytes overruns the datagram"
                ));
            }
            // The handshake type is in clear in epoch 0 (RFC 6347 §4.2.2).
            let handshake_type = if h[0] == 22 && epoch == 0 {
                data.get(off + 13).copied()
            } else {
                None
            };
            records.push(DtlsRecordHeader::Full {
                content_type: h[0],
                content_type_name: content_type_name(h[0]),
                version: format!("{version:#06x}"),
                epoch,
                sequence_number: seq,
                length: len,
                handshake_type,
            });
            off += 13 + len;
        } else {
            return Err(format!(
                "byte {b:#04x} at offset {off} starts no DTLS record"
            ));
        }
    }
    Ok(records)
}
