//! `into_owned`: a `'static` copy of a parsed packet, for keeping it past its buffer.

use super::*;
use crate::list::WireItem;

fn cow(c: Cow<'_, [u8]>) -> Cow<'static, [u8]> {
    Cow::Owned(c.into_owned())
}

impl<'a, T: WireItem<'a> + Clone + 'static> List<'a, T> {
    /// The same items as an owned list (for items that borrow nothing).
    #[must_use]
    pub fn into_static(self) -> List<'static, T> {
        match self {
            Self::Owned(v) => List::Owned(v),
            wire => List::Owned(wire.to_vec()),
        }
    }
}

impl SdesItem<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> SdesItem<'static> {
        SdesItem {
            kind: self.kind,
            value: cow(self.value),
        }
    }
}

impl SdesChunk<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> SdesChunk<'static> {
        SdesChunk {
            ssrc: self.ssrc,
            items: List::Owned(self.items.iter().map(SdesItem::into_owned).collect()),
        }
    }
}

impl CcfbBlock<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> CcfbBlock<'static> {
        CcfbBlock {
            ssrc: self.ssrc,
            begin_sequence: self.begin_sequence,
            metrics: self.metrics.into_static(),
        }
    }
}

impl XrBlock<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> XrBlock<'static> {
        match self {
            Self::Rrtr { ntp_timestamp } => XrBlock::Rrtr { ntp_timestamp },
            Self::Dlrr { items } => XrBlock::Dlrr {
                items: items.into_static(),
            },
            Self::Other {
                block_type,
                type_specific,
                data,
            } => XrBlock::Other {
                block_type,
                type_specific,
                data: cow(data),
            },
        }
    }
}

impl RtcpPacket<'_> {
    /// A `'static` copy that no longer borrows the parsed buffer.
    #[must_use]
    pub fn into_owned(self) -> RtcpPacket<'static> {
        match self {
            Self::Sr(p) => RtcpPacket::Sr(SenderReport {
                ssrc: p.ssrc,
                ntp_timestamp: p.ntp_timestamp,
                rtp_timestamp: p.rtp_timestamp,
                packet_count: p.packet_count,
                octet_count: p.octet_count,
                reports: p.reports.into_static(),
                profile_extension: cow(p.profile_extension),
            }),
            Self::Rr(p) => RtcpPacket::Rr(ReceiverReport {
                ssrc: p.ssrc,
                reports: p.reports.into_static(),
                profile_extension: cow(p.profile_extension),
            }),
            Self::Sdes(p) => RtcpPacket::Sdes(Sdes {
                chunks: List::Owned(p.chunks.iter().map(SdesChunk::into_owned).collect()),
            }),
            Self::Bye(p) => RtcpPacket::Bye(Bye {
                sources: p.sources.into_static(),
                reason: p.reason.map(cow),
            }),
            Self::App(p) => RtcpPacket::App(App {
                subtype: p.subtype,
                ssrc: p.ssrc,
                name: p.name,
                data: cow(p.data),
            }),
            Self::Nack(p) => RtcpPacket::Nack(Nack {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                pairs: p.pairs.into_static(),
            }),
            Self::Tmmbr(p) => RtcpPacket::Tmmbr(Tmmbr {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                items: p.items.into_static(),
            }),
            Self::Tmmbn(p) => RtcpPacket::Tmmbn(Tmmbn {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                items: p.items.into_static(),
            }),
            Self::Twcc(p) => RtcpPacket::Twcc(Twcc {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                base_sequence: p.base_sequence,
                status_count: p.status_count,
                reference_time: p.reference_time,
                feedback_count: p.feedback_count,
                chunks: cow(p.chunks),
                deltas: cow(p.deltas),
                fci_padding: p.fci_padding,
            }),
            Self::Ccfb(p) => RtcpPacket::Ccfb(Ccfb {
                sender_ssrc: p.sender_ssrc,
                blocks: List::Owned(p.blocks.iter().map(CcfbBlock::into_owned).collect()),
                report_timestamp: p.report_timestamp,
            }),
            Self::Pli(p) => RtcpPacket::Pli(p),
            Self::Sli(p) => RtcpPacket::Sli(Sli {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                items: p.items.into_static(),
            }),
            Self::Rpsi(p) => RtcpPacket::Rpsi(Rpsi {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                padding_bits: p.padding_bits,
                payload_type: p.payload_type,
                bits: cow(p.bits),
            }),
            Self::Fir(p) => RtcpPacket::Fir(Fir {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                entries: p.entries.into_static(),
            }),
            Self::Remb(p) => RtcpPacket::Remb(Remb {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                exp: p.exp,
                mantissa: p.mantissa,
                ssrcs: p.ssrcs.into_static(),
            }),
            Self::Afb(p) => RtcpPacket::Afb(Afb {
                sender_ssrc: p.sender_ssrc,
                media_ssrc: p.media_ssrc,
                data: cow(p.data),
            }),
            Self::Xr(p) => RtcpPacket::Xr(Xr {
                reserved: p.reserved,
                ssrc: p.ssrc,
                blocks: List::Owned(p.blocks.iter().map(XrBlock::into_owned).collect()),
            }),
            Self::Padded(p) => RtcpPacket::Padded(Padded {
                packet: Box::new(p.packet.into_owned()),
                padding: cow(p.padding),
            }),
            Self::Raw(p) => RtcpPacket::Raw(RawPacket {
                count: p.count,
                packet_type: p.packet_type,
                padding: p.padding,
                body: cow(p.body),
            }),
        }
    }
}
