//! IP fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5) in bounded memory: fragments are
//! kept per (source, destination, identification, protocol) until the datagram is whole,
//! for at most [`TIMEOUT`] of capture time, at most [`MAX_DATAGRAM`] bytes each and
//! [`MAX_PENDING`] datagrams at once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use super::net::Fragment;

/// How long the fragments of a datagram wait for the rest (Linux's `ipfrag_time`; RFC 8200
/// §4.5 gives IPv6 60 s, RFC 791 suggests 15 s).
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The largest datagram reassembled (the IPv4 total length limit).
pub const MAX_DATAGRAM: usize = 65_535;
/// Datagrams being reassembled at once; beyond it the oldest is dropped.
pub const MAX_PENDING: usize = 1024;

type Key = (IpAddr, IpAddr, u32, u8);

#[derive(Debug, Default)]
struct Pending {
    /// Fragments as (offset, data), in arrival order.
    pieces: Vec<(usize, Vec<u8>)>,
    /// The length of the whole payload, once the last fragment (no MF) arrived.
    total: Option<usize>,
    bytes: usize,
    first: Duration,
}

/// Datagrams being reassembled.
#[derive(Debug, Default)]
pub struct Defrag {
    pending: HashMap<Key, Pending>,
}

/// A datagram made whole: its protocol and transport payload (header included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whole {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// 6 (TCP) or 17 (UDP).
    pub protocol: u8,
    /// The reassembled transport header and payload.
    pub data: Vec<u8>,
}

impl Defrag {
    /// An empty table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a fragment seen at capture time `now`. Returns the whole datagram when this
    /// fragment completed it; `Err` says why fragments were dropped (too large, evicted).
    pub fn push(&mut self, f: Fragment, now: Duration) -> Result<Option<Whole>, String> {
        let mut note = None;
        let before = self.pending.len();
        self.pending
            .retain(|_, p| now.saturating_sub(p.first) <= TIMEOUT);
        if self.pending.len() < before {
            note = Some(format!(
                "{} datagram(s) dropped: fragments missing after {} s",
                before - self.pending.len(),
                TIMEOUT.as_secs()
            ));
        }
        let key = (f.src, f.dst, f.id, f.protocol);
        if !self.pending.contains_key(&key) && self.pending.len() >= MAX_PENDING {
            if let Some(oldest) = self
                .pending
                .iter()
                .min_by_key(|(_, p)| p.first)
                .map(|(k, _)| *k)
            {
                self.pending.remove(&oldest);
                note = Some(format!(
                    "more than {MAX_PENDING} datagrams in reassembly: the oldest dropped"
                ));
            }
        }
        let p = self.pending.entry(key).or_insert_with(|| Pending {
            first: now,
            ..Pending::default()
        });
        let end = f.offset + f.data.len();
        if end > MAX_DATAGRAM || p.bytes + f.data.len() > 2 * MAX_DATAGRAM {
            self.pending.remove(&key);
            return Err(format!(
                "fragments of more than {MAX_DATAGRAM} bytes: dropped"
            ));
        }
        if !f.more {
            p.total = Some(end);
        }
        p.bytes += f.data.len();
        p.pieces.push((f.offset, f.data));
        let whole = p.total.and_then(|total| assemble(&mut p.pieces, total));
        if let Some(data) = whole {
            self.pending.remove(&key);
            return Ok(Some(Whole {
                src: f.src,
                dst: f.dst,
                protocol: f.protocol,
                data,
            }));
        }
        note.map_or(Ok(None), Err)
    }
}

/// The payload, when the pieces cover `0..total` without a hole (a byte sent twice is
/// taken from the first fragment that had it).
fn assemble(pieces: &mut [(usize, Vec<u8>)], total: usize) -> Option<Vec<u8>> {
    pieces.sort_by_key(|p| p.0);
    let mut covered = 0;
    for (off, data) in pieces.iter() {
        if *off > covered {
            return None;
        }
        covered = covered.max(off + data.len());
    }
    if covered < total {
        return None;
    }
    let mut out = vec![0u8; total];
    let mut filled = 0;
    for (off, data) in pieces.iter() {
        let end = (off + data.len()).min(total);
        if end > filled {
            let from = filled.max(*off);
            out[from..end].copy_from_slice(&data[from - off..end - off]);
            filled = end;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frag(offset: usize, more: bool, data: &[u8]) -> Fragment {
        Fragment {
            src: "192.0.2.1".parse().unwrap(),
            dst: "192.0.2.2".parse().unwrap(),
            id: 7,
            protocol: 17,
            offset,
            more,
            data: data.to_vec(),
        }
    }

    #[test]
    fn out_of_order_and_overlapping_fragments_reassemble() {
        let mut d = Defrag::new();
        let t = Duration::ZERO;
        assert_eq!(d.push(frag(16, false, &[3; 4]), t), Ok(None));
        assert_eq!(d.push(frag(0, true, &[1; 8]), t), Ok(None));
        let w = d.push(frag(8, true, &[2; 12]), t).unwrap().unwrap();
        assert_eq!(w.data, [[1; 8].as_slice(), &[2; 8], &[2, 2, 2, 2]].concat());
        assert!(d.pending.is_empty());
    }

    #[test]
    fn holes_time_out_and_memory_is_bounded() {
        let mut d = Defrag::new();
        assert_eq!(d.push(frag(0, true, &[1; 8]), Duration::ZERO), Ok(None));
        // The rest never comes; 31 s later the datagram is dropped with a word.
        let mut late = frag(0, true, &[1; 8]);
        late.id = 8;
        let e = d.push(late, Duration::from_secs(31)).unwrap_err();
        assert!(e.contains("fragments missing after 30 s"), "{e}");
        assert!(d
            .push(frag(65_530, true, &[0; 16]), Duration::from_secs(31))
            .is_err());
        for id in 0..(MAX_PENDING as u32 + 10) {
            let mut f = frag(0, true, &[0; 8]);
            f.id = 1000 + id;
            let _ = d.push(f, Duration::from_secs(40));
        }
        assert!(d.pending.len() <= MAX_PENDING);
    }
}
