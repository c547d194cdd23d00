//! The replay list (RFC 3711 §3.3.2) and the SRTP packet index estimate (§3.3.1).
//!
//! [RFC 3711 §3.3.2]: https://www.rfc-editor.org/rfc/rfc3711#section-3.3.2

use super::SrtpError;
use alloc::vec;
use alloc::vec::Vec;

/// Smallest replay window: RFC 3711 §3.3.2, "SRTP-WINDOW-SIZE ... MUST be at least 64".
pub const MIN_REPLAY_WINDOW: usize = 64;
/// Largest replay window this crate accepts (libsrtp's limit, `0x7fff`, rounded up).
pub const MAX_REPLAY_WINDOW: usize = 32768;

/// A sliding window over packet indices: the highest index authenticated so far and which
/// of the `size - 1` indices below it were seen.
///
/// The bitmap is a ring indexed by `index % capacity`, where the capacity is `size` rounded
/// up to a power of two of at least 64 bits, so that the slot is a mask and not a division
/// on every packet; advancing the top clears the slots it passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReplayWindow {
    /// Highest index accepted, `None` before the first.
    top: Option<u64>,
    size: u64,
    bits: Vec<u64>,
}

impl ReplayWindow {
    /// A window of `size` indices (checked by the caller to lie in
    /// `MIN_REPLAY_WINDOW..=MAX_REPLAY_WINDOW`).
    pub(crate) fn new(size: usize) -> Self {
        Self {
            top: None,
            size: size as u64,
            bits: vec![0; size.div_ceil(64).next_power_of_two()],
        }
    }

    /// The highest index accepted so far.
    pub(crate) fn top(&self) -> Option<u64> {
        self.top
    }

    fn capacity(&self) -> u64 {
        64 * self.bits.len() as u64
    }

    fn slot(&self, index: u64) -> (usize, u64) {
        // The capacity is a power of two.
        let i = index & (self.capacity() - 1);
        ((i / 64) as usize, 1 << (i % 64))
    }

    /// Whether `index` may be accepted (RFC 3711 §3.3.2): ahead of the window, or inside it
    /// and not seen. Checked before authentication, recorded by [`Self::accept`] after it.
    pub(crate) fn check(&self, index: u64) -> Result<(), SrtpError> {
        let Some(top) = self.top else { return Ok(()) };
        if index > top {
            return Ok(());
        }
        if top - index >= self.size {
            return Err(SrtpError::TooOld { index });
        }
        let (w, b) = self.slot(index);
        if self.bits[w] & b != 0 {
            return Err(SrtpError::Replayed { index });
        }
        Ok(())
    }

    /// Records `index` as received (after [`Self::check`] and authentication passed).
    pub(crate) fn accept(&mut self, index: u64) {
        match self.top {
            Some(top) if index <= top => {}
            Some(top) if index - top < self.capacity() => {
                for i in top + 1..=index {
                    let (w, b) = self.slot(i);
                    self.bits[w] &= !b;
                }
                self.top = Some(index);
            }
            _ => {
                self.bits.fill(0);
                self.top = Some(index);
            }
        }
        let (w, b) = self.slot(index);
        self.bits[w] |= b;
    }
}

/// RFC 3711 §3.3.1 (and Appendix A): the packet index of a packet with sequence number
/// `seq`, given the highest index `top` seen so far, as `v · 2^16 + SEQ` where `v` is ROC,
/// ROC - 1 or ROC + 1, whichever puts the index closest to `top`. The RFC takes ROC - 1
/// modulo 2^32; at ROC 0 this crate places such a packet at ROC 0 instead, ahead of `top`, as
/// libsrtp does while its index is below 2^15 (a stream whose first packet is SEQ 10 and
/// whose second is SEQ 65530 is far more likely to have skipped ahead than to come from ROC
/// 2^32 - 1).
///
/// # Errors
/// [`SrtpError::IndexExhausted`] when the index would pass 2^48 - 1.
pub(crate) fn estimate_index(top: u64, seq: u16) -> Result<u64, SrtpError> {
    let roc = top >> 16;
    let s_l = top as u16;
    // "if (s_l < 2^15) then if (SEQ - s_l > 2^15) v = ROC - 1 else v = ROC
    //  else if (s_l - 2^15 > SEQ) v = ROC + 1 else v = ROC"
    let v = if s_l < 0x8000 {
        if seq > s_l && seq - s_l > 0x8000 {
            roc.saturating_sub(1)
        } else {
            roc
        }
    } else if s_l - 0x8000 > seq {
        roc + 1
    } else {
        roc
    };
    if v > u64::from(u32::MAX) {
        return Err(SrtpError::IndexExhausted);
    }
    Ok((v << 16) | u64::from(seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_accepts_new_rejects_seen_and_old() {
        let mut w = ReplayWindow::new(64);
        assert_eq!(w.check(1000), Ok(()));
        w.accept(1000);
        assert_eq!(w.check(1000), Err(SrtpError::Replayed { index: 1000 }));
        assert_eq!(w.check(1001), Ok(()));
        // Inside the window and not seen: accepted once.
        assert_eq!(w.check(990), Ok(()));
        w.accept(990);
        assert_eq!(w.check(990), Err(SrtpError::Replayed { index: 990 }));
        // 1000 - 63 is the oldest index the 64-wide window holds.
        assert_eq!(w.check(937), Ok(()));
        assert_eq!(w.check(936), Err(SrtpError::TooOld { index: 936 }));
        // Advancing clears the slots the ring reuses.
        w.accept(1063);
        assert_eq!(w.check(1000), Err(SrtpError::Replayed { index: 1000 }));
        assert_eq!(w.check(1001), Ok(()));
        assert_eq!(w.check(1062), Ok(()));
        assert_eq!(w.check(999), Err(SrtpError::TooOld { index: 999 }));
        assert_eq!(w.check(990), Err(SrtpError::TooOld { index: 990 }));
        // A jump past the whole window clears it.
        w.accept(1_000_000);
        assert_eq!(w.check(999_999), Ok(()));
        assert_eq!(
            w.check(1_000_000),
            Err(SrtpError::Replayed { index: 1_000_000 })
        );
        assert_eq!(w.top(), Some(1_000_000));
    }

    #[test]
    fn window_size_not_a_multiple_of_64() {
        let mut w = ReplayWindow::new(100);
        w.accept(500);
        assert_eq!(w.check(401), Ok(()));
        assert_eq!(w.check(400), Err(SrtpError::TooOld { index: 400 }));
        w.accept(401);
        w.accept(520);
        assert_eq!(w.check(401), Err(SrtpError::TooOld { index: 401 }));
        assert_eq!(w.check(421), Ok(()));
        assert_eq!(w.check(500), Err(SrtpError::Replayed { index: 500 }));
    }

    #[test]
    fn index_estimate() {
        // Same ROC.
        assert_eq!(estimate_index(0x1_0005, 0x0006), Ok(0x1_0006));
        assert_eq!(estimate_index(0x1_0005, 0x0004), Ok(0x1_0004));
        // Wrapped forward: s_l near the top of the range, SEQ small.
        assert_eq!(estimate_index(0x1_fffe, 0x0001), Ok(0x2_0001));
        // Reordered from before the wrap: s_l small, SEQ near the top.
        assert_eq!(estimate_index(0x2_0001, 0xfffe), Ok(0x1_fffe));
        // There is no ROC - 1 at ROC 0: the packet is placed ahead.
        assert_eq!(estimate_index(0x0_0001, 0xfffe), Ok(0x0_fffe));
        // Exactly half the range is still the same ROC.
        assert_eq!(estimate_index(0x1_0000, 0x8000), Ok(0x1_8000));
        assert_eq!(estimate_index(0x1_8000, 0x0000), Ok(0x1_0000));
        // ROC + 1 past 2^32 - 1.
        assert_eq!(
            estimate_index(0xffff_ffff_fff0, 0x0001),
            Err(SrtpError::IndexExhausted)
        );
    }
}
