//! Codec helpers over `a=fmtp` parameters.
//!
//! Each reads the parameters of one codec family on demand from an
//! [`Fmtp`]: Opus (RFC 7587 §6.1), H.264 (RFC 6184 §8.1), VP8 (RFC 7741 §6.1),
//! VP9 (RFC 9628 §6), AV1 (AV1 RTP spec §7.2), RED (RFC 2198 §5), RTX
//! (RFC 4588 §8.6) and telephone-event (RFC 4733 §2.4.1). Parameter names
//! compare case-insensitively (RFC 4855 §3); unparsable values read as `None`.

use crate::rtp::Fmtp;
use crate::Text;

fn num<T: core::str::FromStr>(f: &Fmtp<impl Text>, key: &str) -> Option<T> {
    f.get(key).and_then(|v| v.parse().ok())
}

fn flag(f: &Fmtp<impl Text>, key: &str) -> Option<bool> {
    match f.get(key)? {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// Opus parameters (RFC 7587 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpusParams {
    /// `minptime` in ms.
    pub minptime: Option<u32>,
    /// `useinbandfec`.
    pub useinbandfec: Option<bool>,
    /// `usedtx`.
    pub usedtx: Option<bool>,
    /// `stereo`: the receiver prefers stereo.
    pub stereo: Option<bool>,
    /// `sprop-stereo`: the sender is likely to send stereo.
    pub sprop_stereo: Option<bool>,
    /// `cbr`.
    pub cbr: Option<bool>,
    /// `maxplaybackrate` in Hz.
    pub maxplaybackrate: Option<u32>,
    /// `sprop-maxcapturerate` in Hz.
    pub sprop_maxcapturerate: Option<u32>,
    /// `maxaveragebitrate` in bit/s.
    pub maxaveragebitrate: Option<u32>,
}

/// H.264 `profile-level-id` (RFC 6184 §8.1): three bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileLevelId {
    /// `profile_idc`.
    pub profile_idc: u8,
    /// `profile-iop` (constraint flags).
    pub profile_iop: u8,
    /// `level_idc`.
    pub level_idc: u8,
}

/// H.264 parameters (RFC 6184 §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct H264Params {
    /// `profile-level-id`.
    pub profile_level_id: Option<ProfileLevelId>,
    /// `packetization-mode` (0, 1 or 2; absent means 0).
    pub packetization_mode: Option<u8>,
    /// `level-asymmetry-allowed`.
    pub level_asymmetry_allowed: Option<bool>,
    /// `max-mbps`.
    pub max_mbps: Option<u32>,
    /// `max-fs`.
    pub max_fs: Option<u32>,
}

/// VP8 parameters (RFC 7741 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Vp8Params {
    /// `max-fr`: maximum frame rate.
    pub max_fr: Option<u32>,
    /// `max-fs`: maximum frame size in macroblocks.
    pub max_fs: Option<u32>,
}

/// VP9 parameters (RFC 9628 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Vp9Params {
    /// `profile-id` (0–3; absent means 0).
    pub profile_id: Option<u8>,
    /// `max-fr`.
    pub max_fr: Option<u32>,
    /// `max-fs`.
    pub max_fs: Option<u32>,
}

/// AV1 parameters (AV1 RTP payload specification §7.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Av1Params {
    /// `profile` (0–2; absent means 0).
    pub profile: Option<u8>,
    /// `level-idx` (absent means 5).
    pub level_idx: Option<u8>,
    /// `tier` (absent means 0).
    pub tier: Option<u8>,
}

impl<S: Text> Fmtp<S> {
    /// Opus parameters.
    #[must_use]
    pub fn opus(&self) -> OpusParams {
        OpusParams {
            minptime: num(self, "minptime"),
            useinbandfec: flag(self, "useinbandfec"),
            usedtx: flag(self, "usedtx"),
            stereo: flag(self, "stereo"),
            sprop_stereo: flag(self, "sprop-stereo"),
            cbr: flag(self, "cbr"),
            maxplaybackrate: num(self, "maxplaybackrate"),
            sprop_maxcapturerate: num(self, "sprop-maxcapturerate"),
            maxaveragebitrate: num(self, "maxaveragebitrate"),
        }
    }

    /// H.264 parameters.
    #[must_use]
    pub fn h264(&self) -> H264Params {
        let plid = self.get("profile-level-id").and_then(|v| {
            if v.len() != 6 {
                return None;
            }
            let b = |i: usize| u8::from_str_radix(v.get(i..i + 2)?, 16).ok();
            Some(ProfileLevelId {
                profile_idc: b(0)?,
                profile_iop: b(2)?,
                level_idc: b(4)?,
            })
        });
        H264Params {
            profile_level_id: plid,
            packetization_mode: num(self, "packetization-mode"),
            level_asymmetry_allowed: flag(self, "level-asymmetry-allowed"),
            max_mbps: num(self, "max-mbps"),
            max_fs: num(self, "max-fs"),
        }
    }

    /// VP8 parameters.
    #[must_use]
    pub fn vp8(&self) -> Vp8Params {
        Vp8Params {
            max_fr: num(self, "max-fr"),
            max_fs: num(self, "max-fs"),
        }
    }

    /// VP9 parameters.
    #[must_use]
    pub fn vp9(&self) -> Vp9Params {
        Vp9Params {
            profile_id: num(self, "profile-id"),
            max_fr: num(self, "max-fr"),
            max_fs: num(self, "max-fs"),
        }
    }

    /// AV1 parameters.
    #[must_use]
    pub fn av1(&self) -> Av1Params {
        Av1Params {
            profile: num(self, "profile"),
            level_idx: num(self, "level-idx"),
            tier: num(self, "tier"),
        }
    }

    /// RTX associated payload type `apt` (RFC 4588 §8.6).
    #[must_use]
    pub fn apt(&self) -> Option<u8> {
        num::<u8>(self, "apt").filter(|p| *p <= 127)
    }

    /// RTX `rtx-time` in ms (RFC 4588 §8.6).
    #[must_use]
    pub fn rtx_time(&self) -> Option<u32> {
        num(self, "rtx-time")
    }

    /// RED redundancy payload types (`111/111`, RFC 2198 §5): the first
    /// parameter split on `/`.
    pub fn red_payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        self.params()
            .next()
            .filter(|p| p.value.is_none())
            .into_iter()
            .flat_map(|p| p.key.split('/'))
            .filter_map(|s| s.parse().ok())
    }

    /// telephone-event events (`0-15,66`, RFC 4733 §2.4.1) as inclusive ranges.
    pub fn telephone_events(&self) -> impl Iterator<Item = (u8, u8)> + '_ {
        self.params()
            .next()
            .filter(|p| p.value.is_none())
            .into_iter()
            .flat_map(|p| p.key.split(','))
            .filter_map(|r| match r.split_once('-') {
                Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
                None => {
                    let e = r.parse().ok()?;
                    Some((e, e))
                }
            })
    }
}
