//! The capture as a sequence of application messages: each UDP datagram, and each message
//! framed out of a reassembled TCP stream, with its frame number, time and addresses.

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use super::capture::{self, CaptureError, Frame, Keep, Warning};
use super::defrag::Defrag;
use super::net::{self, Skip};
use super::tcp::Reassembler;
use stun_turn_codec::Transport;

/// One message of a capture.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based number of the frame that carried (for TCP: completed) the message.
    pub frame: u64,
    /// Capture time since the Unix epoch.
    pub epoch: Duration,
    /// Time since the first frame of the capture.
    pub time: Duration,
    /// Source address and port.
    pub src: SocketAddr,
    /// Destination address and port.
    pub dst: SocketAddr,
    /// UDP or TCP.
    pub transport: Transport,
    /// The message bytes (a UDP payload, or one framed TCP message without its length
    /// prefix).
    pub payload: &'a [u8],
    /// The payload was cut by the capture's snapshot length.
    pub truncated: bool,
}

/// Totals of one pass over a capture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Frames in the file.
    pub frames: u64,
    /// Time of the first frame since the Unix epoch.
    pub first: Option<Duration>,
    /// Time of the last frame since the Unix epoch.
    pub last: Option<Duration>,
}

/// Calls `on_record` for every message of the capture at `path`, and `on_warning` for every
/// per-frame problem.
///
/// # Errors
///
/// The file cannot be read, or is corrupt from some record on (the records before it have
/// been delivered).
pub fn for_each(
    path: &Path,
    on_record: &mut dyn FnMut(&Record<'_>),
    on_warning: &mut dyn FnMut(Warning),
) -> Result<Totals, CaptureError> {
    for_each_from(
        &mut |f, w| capture::read_file(path, f, w),
        on_record,
        on_warning,
    )
}

/// Like [`for_each`] over a pcap or pcapng stream from any reader.
///
/// # Errors
///
/// As [`for_each`].
pub fn for_each_in<R: Read>(
    reader: R,
    on_record: &mut dyn FnMut(&Record<'_>),
    on_warning: &mut dyn FnMut(Warning),
) -> Result<Totals, CaptureError> {
    let mut reader = Some(reader);
    for_each_from(
        &mut |f, w| match reader.take() {
            Some(r) => capture::read(r, f, w),
            None => Ok(0),
        },
        on_record,
        on_warning,
    )
}

/// A capture source: reads frames into the first callback and warnings into the second.
type Source<'s> = dyn FnMut(&mut dyn FnMut(&Frame<'_>) -> Keep, &mut dyn FnMut(Warning)) -> Result<u64, CaptureError>
    + 's;

fn for_each_from(
    source: &mut Source<'_>,
    on_record: &mut dyn FnMut(&Record<'_>),
    on_warning: &mut dyn FnMut(Warning),
) -> Result<Totals, CaptureError> {
    let mut totals = Totals::default();
    let mut tcp = Reassembler::new();
    let mut defrag = Defrag::new();
    // Frames that carry no UDP or TCP, by what they carry: one warning at the end.
    let mut not_reported: std::collections::BTreeMap<&'static str, u64> = Default::default();
    // Both the frame callback and the reader report warnings, never at the same time.
    let warn = std::cell::RefCell::new(on_warning);
    let mut on_frame = |f: &Frame<'_>| -> Keep {
        let first = *totals.first.get_or_insert(f.time);
        totals.last = Some(f.time);
        let time = f.time.saturating_sub(first);
        let whole;
        let seg = match net::segment(f.link, f.data) {
            Ok(s) => s,
            Err(Skip::Fragment(frag)) => match defrag.push(frag, f.time) {
                Ok(Some(w)) => {
                    whole = w;
                    match net::reassembled(&whole) {
                        Some(s) => s,
                        None => {
                            (warn.borrow_mut())(Warning {
                                frame: f.number,
                                message: "reassembled IP datagram with a cut transport header"
                                    .into(),
                            });
                            return Keep::Continue(());
                        }
                    }
                }
                Ok(None) => return Keep::Continue(()),
                Err(message) => {
                    (warn.borrow_mut())(Warning {
                        frame: f.number,
                        message,
                    });
                    return Keep::Continue(());
                }
            },
            Err(Skip::NotUdpOrTcp(what)) => {
                *not_reported.entry(what).or_default() += 1;
                return Keep::Continue(());
            }
            Err(Skip::Problem(p)) => {
                (warn.borrow_mut())(Warning {
                    frame: f.number,
                    message: p,
                });
                return Keep::Continue(());
            }
        };
        if seg.truncated {
            (warn.borrow_mut())(Warning {
                frame: f.number,
                message: match seg.wire_len {
                    Some(w) => format!(
                        "payload cut by the snapshot length: {} of {w} bytes captured",
                        seg.payload.len()
                    ),
                    None => "payload cut by the snapshot length".to_owned(),
                },
            });
        }
        match (seg.transport, seg.tcp) {
            (Transport::Tcp, Some(info)) => {
                if seg.truncated {
                    // The missing bytes leave a hole that reassembly cannot fill.
                    return Keep::Continue(());
                }
                let w = tcp.push(seg.src, seg.dst, info, seg.payload, &mut |m, _| {
                    on_record(&Record {
                        frame: f.number,
                        epoch: f.time,
                        time,
                        src: seg.src,
                        dst: seg.dst,
                        transport: Transport::Tcp,
                        payload: m,
                        truncated: false,
                    });
                });
                if let Some(message) = w {
                    (warn.borrow_mut())(Warning {
                        frame: f.number,
                        message,
                    });
                }
            }
            _ => on_record(&Record {
                frame: f.number,
                epoch: f.time,
                time,
                src: seg.src,
                dst: seg.dst,
                transport: seg.transport,
                payload: seg.payload,
                truncated: seg.truncated,
            }),
        }
        Keep::Continue(())
    };
    let frames = source(&mut on_frame, &mut |w| (warn.borrow_mut())(w));
    if !not_reported.is_empty() {
        let total: u64 = not_reported.values().sum();
        let list: Vec<String> = not_reported
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        (warn.borrow_mut())(Warning {
            frame: 0,
            message: format!(
                "{total} frame{} carry no UDP or TCP and are not reported: {}",
                if total == 1 { "" } else { "s" },
                list.join(", ")
            ),
        });
    }
    totals.frames = frames?;
    Ok(totals)
}
