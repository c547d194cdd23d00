//! NSS key log files (the `SSLKEYLOGFILE` format that OpenSSL, BoringSSL, NSS, Go's
//! `crypto/tls` and pion/dtls write): one secret per line, keyed by the client random of
//! the handshake it belongs to.
//!
//! `CLIENT_RANDOM <client random> <master secret>` gives a (D)TLS 1.2 master secret;
//! `EXPORTER_SECRET <client random> <secret>` a (D)TLS 1.3 exporter master secret
//! (RFC 8446 §7.5). The other TLS 1.3 labels are recognised and kept aside (the SRTP keys
//! come from the exporter alone). Anything else is a warning naming the line, never an
//! error: a key log is often the concatenation of several programs' files.

use std::collections::HashMap;

/// Labels of TLS 1.3 secrets that do not key SRTP; accepted without a warning.
const OTHER_TLS13_LABELS: [&str; 6] = [
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
    "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    "CLIENT_TRAFFIC_SECRET_0",
    "SERVER_TRAFFIC_SECRET_0",
    "CLIENT_EARLY_TRAFFIC_SECRET",
    "EARLY_EXPORTER_SECRET",
];

/// Secrets by client random.
#[derive(Debug, Clone, Default)]
pub struct KeyLog {
    master_secrets: HashMap<[u8; 32], Vec<u8>>,
    exporter_secrets: HashMap<[u8; 32], Vec<u8>>,
    other: usize,
}

/// A line that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLogWarning {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl KeyLog {
    /// An empty key log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every usable line of `text`; returns a warning for each line that is neither a
    /// comment, blank, nor a secret this reader knows.
    pub fn add_text(&mut self, text: &str) -> Vec<KeyLogWarning> {
        let mut warnings = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Err(message) = self.add_line(line) {
                warnings.push(KeyLogWarning {
                    line: i + 1,
                    message,
                });
            }
        }
        warnings
    }

    fn add_line(&mut self, line: &str) -> Result<(), String> {
        let mut fields = line.split_ascii_whitespace();
        let (Some(label), Some(random), Some(secret), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err("not `LABEL <client random> <secret>`".to_owned());
        };
        if !matches!(label, "CLIENT_RANDOM" | "EXPORTER_SECRET")
            && !OTHER_TLS13_LABELS.contains(&label)
        {
            return Err(format!("unknown label `{label}`"));
        }
        let random: [u8; 32] = hex::decode(random)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or_else(|| format!("{label}: the client random is not 32 bytes of hex"))?;
        let secret = hex::decode(secret).map_err(|_| format!("{label}: the secret is not hex"))?;
        match label {
            "CLIENT_RANDOM" => {
                // RFC 5246 §8.1: the master secret is always 48 bytes.
                if secret.len() != 48 {
                    return Err(format!(
                        "CLIENT_RANDOM: a master secret has 48 bytes, not {}",
                        secret.len()
                    ));
                }
                self.master_secrets.insert(random, secret);
            }
            "EXPORTER_SECRET" => {
                // The hash length of the cipher suite: SHA-256 or SHA-384.
                if !matches!(secret.len(), 32 | 48) {
                    return Err(format!(
                        "EXPORTER_SECRET: a secret of {} bytes is no SHA-256 or SHA-384 output",
                        secret.len()
                    ));
                }
                self.exporter_secrets.insert(random, secret);
            }
            l if OTHER_TLS13_LABELS.contains(&l) => self.other += 1,
            l => return Err(format!("unknown label `{l}`")),
        }
        Ok(())
    }

    /// The (D)TLS 1.2 master secret of the handshake with this client random.
    #[must_use]
    pub fn master_secret(&self, client_random: &[u8; 32]) -> Option<&[u8]> {
        self.master_secrets.get(client_random).map(Vec::as_slice)
    }

    /// The (D)TLS 1.3 exporter master secret of the handshake with this client random.
    #[must_use]
    pub fn exporter_secret(&self, client_random: &[u8; 32]) -> Option<&[u8]> {
        self.exporter_secrets.get(client_random).map(Vec::as_slice)
    }

    /// Whether no secret was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.master_secrets.is_empty() && self.exporter_secrets.is_empty()
    }

    /// How many secrets were read: (1.2 master secrets, 1.3 exporter secrets, other 1.3).
    #[must_use]
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.master_secrets.len(),
            self.exporter_secrets.len(),
            self.other,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tls12_and_tls13_lines_and_warns_on_the_rest() {
        let r = "11".repeat(32);
        let text = format!(
            "# comment\n\nCLIENT_RANDOM {r} {}\nEXPORTER_SECRET {} {}\n\
             CLIENT_TRAFFIC_SECRET_0 {r} {}\nCLIENT_RANDOM {r} abcd\nGARBAGE\n\
             RSA abc def\nCLIENT_RANDOM zz {}\n",
            "22".repeat(48),
            "33".repeat(32),
            "44".repeat(48),
            "55".repeat(32),
            "22".repeat(48),
        );
        let mut log = KeyLog::new();
        let w = log.add_text(&text);
        let lines: Vec<usize> = w.iter().map(|w| w.line).collect();
        assert_eq!(lines, [6, 7, 8, 9], "{w:?}");
        assert!(w[0].message.contains("48 bytes"), "{w:?}");
        assert!(w[2].message.contains("unknown label `RSA`"), "{w:?}");
        assert_eq!(log.master_secret(&[0x11; 32]), Some(&[0x22; 48][..]));
        assert_eq!(log.exporter_secret(&[0x33; 32]), Some(&[0x44; 48][..]));
        assert_eq!(log.master_secret(&[0x33; 32]), None);
        assert_eq!(log.counts(), (1, 1, 1));
    }
}
