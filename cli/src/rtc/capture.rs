//! Streaming pcap and pcapng reading.
//!
//! Frames are handed to a callback one at a time, borrowing the reader's buffer, so a
//! capture of any size is read in constant memory. Record framing errors end the file
//! (nothing after a corrupt record header can be trusted); problems inside one record (a
//! record longer than the snapshot length, an unknown interface) are per-frame warnings.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, IsTerminal, Read};
use std::path::Path;
use std::time::Duration;

use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::PcapNgReader;
use pcap_file::{DataLink, Endianness, PcapError, TsResolution};

/// One captured frame, borrowing the reader's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// 1-based frame number, as Wireshark numbers frames.
    pub number: u64,
    /// Capture time since the Unix epoch.
    pub time: Duration,
    /// Link-layer type of the interface the frame was captured on.
    pub link: DataLink,
    /// The captured bytes (at most the snapshot length).
    pub data: &'a [u8],
    /// The frame's length on the wire.
    pub original_len: u32,
}

/// Why a capture could not be read (further).
#[derive(Debug)]
pub enum CaptureError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file starts with neither a pcap nor a pcapng magic number.
    BadMagic([u8; 4]),
    /// The file header is malformed.
    Header(String),
    /// A record is malformed or cut short; frames before it were read.
    Record {
        /// The frame number the record would have had.
        frame: u64,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "{e}"),
            Self::BadMagic(m) => write!(
                f,
                "not a pcap or pcapng file (magic {:02x}{:02x}{:02x}{:02x})",
                m[0], m[1], m[2], m[3]
            ),
            Self::Header(r) => write!(f, "bad file header: {r}"),
            Self::Record { frame, reason } => {
                write!(
                    f,
                    "frame {frame}: {reason}; the rest of the file is not read"
                )
            }
        }
    }
}

impl std::error::Error for CaptureError {}

fn record_error(frame: u64, e: &PcapError) -> CaptureError {
    let reason = match e {
        PcapError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file is cut short in the middle of a record".to_owned()
        }
        other => other.to_string(),
    };
    CaptureError::Record { frame, reason }
}

/// What the callback tells the reader.
pub type Keep = std::ops::ControlFlow<()>;

/// A per-frame problem that does not stop reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The frame concerned (0 for the file as a whole).
    pub frame: u64,
    /// What is wrong.
    pub message: String,
}

/// Reads every frame of the pcap or pcapng file at `path` (`-`: standard input), calling `on_frame` for each and
/// `on_warning` for per-frame problems. Returns the number of frames read.
///
/// # Errors
///
/// [`CaptureError`] when the file cannot be opened, is not a capture, or a record is
/// corrupt (frames before it have been delivered).
pub fn read_file(
    path: &Path,
    on_frame: &mut dyn FnMut(&Frame<'_>) -> Keep,
    on_warning: &mut dyn FnMut(Warning),
) -> Result<u64, CaptureError> {
    if path.as_os_str() == "-" {
        return read(std::io::stdin().lock(), on_frame, on_warning);
    }
    let file = File::open(path).map_err(CaptureError::Io)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size >= PROGRESS_MIN_SIZE && std::io::stderr().is_terminal() {
        let mut reader = Progress::new(file, size);
        let r = read(&mut reader, on_frame, on_warning);
        reader.clear();
        r
    } else {
        read(file, on_frame, on_warning)
    }
}

/// The TLS key logs embedded in a pcapng file's Decryption Secrets Blocks
/// (draft-ietf-opsawg-pcapng §4.7, secrets type `TLSK`, as `editcap --inject-secrets` and
/// Wireshark write them), in file order. Empty for pcap files, standard input, and pcapng
/// files without such blocks. Reads the blocks only, not the packets; stops after
/// [`MAX_SECRETS`] bytes of secrets.
///
/// # Errors
/// The file cannot be opened or its pcapng header is damaged.
pub fn tls_key_logs(path: &Path) -> Result<Vec<String>, CaptureError> {
    if path.as_os_str() == "-" {
        return Ok(Vec::new());
    }
    let mut file = BufReader::new(File::open(path).map_err(CaptureError::Io)?);
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || magic != [0x0a, 0x0d, 0x0d, 0x0a] {
        return Ok(Vec::new());
    }
    let file = BufReader::new(File::open(path).map_err(CaptureError::Io)?);
    let mut r = PcapNgReader::new(file).map_err(|e| CaptureError::Header(e.to_string()))?;
    let mut out = Vec::new();
    let mut total = 0usize;
    loop {
        let big = r.section().endianness == Endianness::Big;
        let Some(Ok(block)) = r.next_raw_block() else {
            break;
        };
        if block.type_ != DSB {
            continue;
        }
        let body: &[u8] = &block.body;
        let word = |o: usize| -> Option<u32> {
            let b: [u8; 4] = body.get(o..o + 4)?.try_into().ok()?;
            Some(if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            })
        };
        let (Some(kind), Some(len)) = (word(0), word(4)) else {
            continue;
        };
        let Some(data) = body.get(8..8 + len as usize) else {
            continue;
        };
        if kind == TLS_KEY_LOG && total + data.len() <= MAX_SECRETS {
            total += data.len();
            out.push(String::from_utf8_lossy(data).into_owned());
        }
    }
    Ok(out)
}

/// The most bytes of embedded secrets read from one file.
pub const MAX_SECRETS: usize = 16 << 20;
/// Decryption Secrets Block type.
const DSB: u32 = 0x0000_000A;
/// Secrets type of a TLS key log (`TLSK`).
const TLS_KEY_LOG: u32 = 0x544c_534b;

/// Files at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_SIZE: u64 = 64 << 20;

/// A reader that draws a progress bar on stderr, at most every 200 ms.
struct Progress<R> {
    inner: R,
    size: u64,
    done: u64,
    last: std::time::Instant,
    drawn: bool,
}

impl<R> Progress<R> {
    fn new(inner: R, size: u64) -> Self {
        Self {
            inner,
            size,
            done: 0,
            last: std::time::Instant::now(),
            drawn: false,
        }
    }

    fn clear(&self) {
        if self.drawn {
            eprint!("\r{:60}\r", "");
        }
    }
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if self.last.elapsed() >= Duration::from_millis(200) {
            self.last = std::time::Instant::now();
            let pct = (self.done * 100 / self.size.max(1)).min(100);
            let filled = (pct / 4) as usize;
            eprint!(
                "\r[{}{}] {pct:>3}% of {} MB",
                "#".repeat(filled),
                " ".repeat(25 - filled),
                self.size >> 20
            );
            self.drawn = true;
        }
        Ok(n)
    }
}

/// Like [`read_file`] over any reader.
///
/// # Errors
///
/// As [`read_file`].
pub fn read<R: Read>(
    reader: R,
    on_frame: &mut dyn FnMut(&Frame<'_>) -> Keep,
    on_warning: &mut dyn FnMut(Warning),
) -> Result<u64, CaptureError> {
    read_layer(reader, true, on_frame, on_warning)
}

/// [`read`], taking a gzip layer when `gzip` (one at most: a capture is compressed once).
fn read_layer<R: Read>(
    reader: R,
    gzip: bool,
    on_frame: &mut dyn FnMut(&Frame<'_>) -> Keep,
    on_warning: &mut dyn FnMut(Warning),
) -> Result<u64, CaptureError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let magic = {
        use std::io::BufRead;
        let buf = reader.fill_buf().map_err(CaptureError::Io)?;
        let mut m = [0u8; 4];
        let n = buf.len().min(4);
        m[..n].copy_from_slice(&buf[..n]);
        if n < 4 {
            return Err(CaptureError::Header(format!(
                "the file has {n} bytes, too short for a capture"
            )));
        }
        m
    };
    match magic {
        // gzip (RFC 1952): a compressed pcap or pcapng, read through the decompressor.
        [0x1f, 0x8b, _, _] if gzip => {
            let mut gz = flate2::read::MultiGzDecoder::new(reader);
            let inner: &mut dyn Read = &mut gz;
            read_layer(inner, false, on_frame, on_warning)
        }
        [0x0a, 0x0d, 0x0d, 0x0a] => read_pcapng(reader, on_frame, on_warning),
        [0xa1, 0xb2, 0xc3, 0xd4]
        | [0xd4, 0xc3, 0xb2, 0xa1]
        | [0xa1, 0xb2, 0x3c, 0x4d]
        | [0x4d, 0x3c, 0xb2, 0xa1] => read_pcap(reader, on_frame, on_warning),
        m => Err(CaptureError::BadMagic(m)),
    }
}

fn read_pcap<R: Read>(
    reader: R,
    on_frame: &mut dyn FnMut(&Frame<'_>) -> Keep,
    on_warning: &mut dyn FnMut(Warning),
) -> Result<u64, CaptureError> {
    let mut r = PcapReader::new(reader).map_err(|e| CaptureError::Header(e.to_string()))?;
    let header = r.header();
    let (link, fcs) = link_and_fcs(header.datalink);
    let snaplen = header.snaplen;
    let nanos = header.ts_resolution == TsResolution::NanoSecond;
    let mut number = 0u64;
    // `next_raw_packet` only fails on framing; field checks are ours, so that a record
    // longer than the snapshot length is a warning and not the end of the file.
    while let Some(p) = r.next_raw_packet() {
        number += 1;
        let p = p.map_err(|e| record_error(number, &e))?;
        if p.incl_len > snaplen && snaplen != 0 {
            on_warning(Warning {
                frame: number,
                message: format!(
                    "record of {} bytes exceeds the snapshot length {snaplen}",
                    p.incl_len
                ),
            });
        }
        let frac = if nanos {
            u64::from(p.ts_frac)
        } else {
            u64::from(p.ts_frac) * 1000
        };
        let time = Duration::from_secs(u64::from(p.ts_sec)) + Duration::from_nanos(frac);
        let frame = Frame {
            number,
            time,
            link,
            data: strip_fcs(&p.data, fcs),
            original_len: p.orig_len,
        };
        if on_frame(&frame).is_break() {
            break;
        }
    }
    Ok(number)
}

/// The link type and FCS length of a pcap header's link-type field: the low 16 bits are
/// the link type; when bit 26 is set, the high 4 bits give the length of the frame check
/// sequence at the end of every packet in 16-bit units (libpcap's `LT_FCS_LENGTH`, the pcap
/// draft's "LinkType and additional information").
fn link_and_fcs(link: DataLink) -> (DataLink, usize) {
    let raw = u32::from(link);
    let fcs = if raw & 0x0400_0000 != 0 {
        2 * (raw >> 28) as usize
    } else {
        0
    };
    (DataLink::from(raw & 0xffff), fcs)
}

/// The frame without its trailing FCS.
fn strip_fcs(data: &[u8], fcs: usize) -> &[u8] {
    &data[..data.len().saturating_sub(fcs)]
}

/// Time units of one pcapng interface.
#[derive(Debug, Clone, Copy)]
struct Interface {
    link: DataLink,
    /// `if_fcslen`: bytes of frame check sequence at the end of each packet.
    fcs: usize,
    /// `if_tsresol`: bit 7 clear = 10^-n s, set = 2^-n s.
    tsresol: u8,
    tsoffset: i64,
}

impl Interface {
    fn time(&self, ticks: u64) -> Duration {
        let n = u32::from(self.tsresol & 0x7f);
        let (secs, frac_nanos) = if self.tsresol & 0x80 == 0 {
            let per_sec = 10u64.checked_pow(n).unwrap_or(u64::MAX);
            let secs = ticks / per_sec;
            let rem = u128::from(ticks % per_sec);
            (secs, (rem * 1_000_000_000 / u128::from(per_sec)) as u64)
        } else {
            let n = n.min(63);
            let secs = ticks >> n;
            let rem = u128::from(ticks & ((1u64 << n) - 1));
            (secs, ((rem * 1_000_000_000) >> n) as u64)
        };
        let secs = secs.saturating_add_signed(self.tsoffset);
        Duration::from_secs(secs) + Duration::from_nanos(frac_nanos)
    }
}

const EPB: u32 = 0x0000_0006;
const SPB: u32 = 0x0000_0003;
const SHB: u32 = 0x0A0D_0D0A;
const OBSOLETE_PB: u32 = 0x0000_0002;

fn read_pcapng<R: Read>(
    reader: R,
    on_frame: &mut dyn FnMut(&Frame<'_>) -> Keep,
    on_warning: &mut dyn FnMut(Warning),
) -> Result<u64, CaptureError> {
    let mut r = PcapNgReader::new(reader).map_err(|e| CaptureError::Header(e.to_string()))?;
    let mut number = 0u64;
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut new_section = false;
    loop {
        // The reader keeps the interface list of the current section; mirror it (before
        // borrowing the next block) so that packets find their interface.
        if new_section {
            interfaces.clear();
            new_section = false;
        }
        for idb in r.interfaces().iter().skip(interfaces.len()) {
            let mut iface = Interface {
                link: idb.linktype,
                fcs: 0,
                tsresol: 6,
                tsoffset: 0,
            };
            for o in &idb.options {
                match o {
                    InterfaceDescriptionOption::IfTsResol(v) => iface.tsresol = *v,
                    InterfaceDescriptionOption::IfFcsLen(v) => iface.fcs = usize::from(*v),
                    InterfaceDescriptionOption::IfTsOffset(v) => iface.tsoffset = *v as i64,
                    _ => {}
                }
            }
            interfaces.push(iface);
        }
        let big = r.section().endianness == Endianness::Big;
        let Some(block) = r.next_raw_block() else {
            break;
        };
        let block = block.map_err(|e| record_error(number + 1, &e))?;
        if block.type_ == SHB {
            new_section = true;
            continue;
        }
        let body: &[u8] = &block.body;
        let u32_at = |b: &[u8], o: usize| -> Option<u32> {
            let s: [u8; 4] = b.get(o..o + 4)?.try_into().ok()?;
            Some(if big {
                u32::from_be_bytes(s)
            } else {
                u32::from_le_bytes(s)
            })
        };
        let (iface_id, ticks, data, orig) = match block.type_ {
            EPB | OBSOLETE_PB => {
                number += 1;
                let fields = (|| {
                    // EPB: interface id (obsolete PB: 16-bit id + drops), ts high, ts low,
                    // captured length, original length, data.
                    let id = if block.type_ == EPB {
                        u32_at(body, 0)?
                    } else {
                        let v = u32_at(body, 0)?;
                        if big {
                            v >> 16
                        } else {
                            v & 0xffff
                        }
                    };
                    let hi = u64::from(u32_at(body, 4)?);
                    let lo = u64::from(u32_at(body, 8)?);
                    let cap = u32_at(body, 12)? as usize;
                    let orig = u32_at(body, 16)?;
                    Some((id, (hi << 32) | lo, cap, orig))
                })();
                let Some((id, ticks, cap, orig)) = fields else {
                    on_warning(Warning {
                        frame: number,
                        message: "packet block too short for its fixed fields".into(),
                    });
                    continue;
                };
                let avail = body.len() - 20;
                let data = if cap > avail {
                    on_warning(Warning {
                        frame: number,
                        message: format!("captured length {cap} exceeds the block ({avail} bytes)"),
                    });
                    &body[20..]
                } else {
                    &body[20..20 + cap]
                };
                (id, ticks, data, orig)
            }
            SPB => {
                number += 1;
                let Some(orig) = u32_at(body, 0) else {
                    continue;
                };
                let avail = &body[4..];
                let len = (orig as usize).min(avail.len());
                (0, 0, &avail[..len], orig)
            }
            _ => continue,
        };
        let Some(iface) = interfaces.get(iface_id as usize) else {
            on_warning(Warning {
                frame: number,
                message: format!("packet names interface {iface_id}, which is not described"),
            });
            continue;
        };
        let frame = Frame {
            number,
            time: iface.time(ticks),
            link: iface.link,
            data: strip_fcs(data, iface.fcs),
            original_len: orig,
        };
        if on_frame(&frame).is_break() {
            break;
        }
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_time_units() {
        let micro = Interface {
            link: DataLink::ETHERNET,
            fcs: 0,
            tsresol: 6,
            tsoffset: 0,
        };
        assert_eq!(micro.time(1_500_001), Duration::new(1, 500_001_000));
        let nano = Interface {
            tsresol: 9,
            ..micro
        };
        assert_eq!(nano.time(2_000_000_007), Duration::new(2, 7));
        let binary = Interface {
            tsresol: 0x80 | 10,
            ..micro
        };
        assert_eq!(binary.time(1024 + 512), Duration::new(1, 500_000_000));
        let offset = Interface {
            tsoffset: 100,
            ..micro
        };
        assert_eq!(offset.time(0), Duration::from_secs(100));
    }

    /// A nanosecond-resolution pcap whose second record exceeds the snapshot length.
    #[test]
    fn nanosecond_pcap_and_oversized_records() {
        let mut f = Vec::new();
        f.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
        f.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&8u32.to_le_bytes()); // snaplen
        f.extend_from_slice(&101u32.to_le_bytes()); // raw IP
        for (ns, len) in [(5u32, 8u32), (999_999_999, 12)] {
            f.extend_from_slice(&7u32.to_le_bytes());
            f.extend_from_slice(&ns.to_le_bytes());
            f.extend_from_slice(&len.to_le_bytes());
            f.extend_from_slice(&len.to_le_bytes());
            f.extend(std::iter::repeat_n(0x45u8, len as usize));
        }
        let mut times = Vec::new();
        let mut warnings = Vec::new();
        let n = read(
            &f[..],
            &mut |fr| {
                times.push((fr.number, fr.time, fr.data.len()));
                Keep::Continue(())
            },
            &mut |w| warnings.push(w),
        )
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            times,
            [
                (1, Duration::new(7, 5), 8),
                (2, Duration::new(7, 999_999_999), 12)
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].frame, 2);
        assert!(warnings[0].message.contains("snapshot length 8"));
    }

    #[test]
    fn wrong_magic_is_named() {
        let e = read(
            &b"GIF89a.........................."[..],
            &mut |_| Keep::Continue(()),
            &mut |_| {},
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "not a pcap or pcapng file (magic 47494638)");
    }
}
