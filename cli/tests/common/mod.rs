//! Helpers shared by the integration tests.
// Each test binary that includes this module uses only some of its helpers.
#![allow(dead_code)]

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::DataLink;

/// Writes `frames` of link type `link`, 20 ms apart, to a temporary pcap named after the
/// test's `name`. Little-endian, as an x86 host writes it (NFLOG's TLVs are in the writer's
/// byte order).
pub(crate) fn write_pcap(name: &str, link: DataLink, frames: &[Vec<u8>]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("rtc-inspect-{}-{name}.pcap", std::process::id()));
    let header = PcapHeader {
        datalink: link,
        endianness: pcap_file::Endianness::Little,
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(std::fs::File::create(&path).unwrap(), header).unwrap();
    for (i, f) in frames.iter().enumerate() {
        let p = PcapPacket {
            timestamp: Duration::from_millis(20 * i as u64),
            orig_len: f.len() as u32,
            data: Cow::Borrowed(f),
        };
        w.write_packet(&p).unwrap();
    }
    path
}

/// Runs tshark on `capture` with `options` and returns, per frame it prints, the values of
/// `fields` (tab-separated `-T fields` output, empty strings for absent fields).
pub(crate) fn tshark_fields(capture: &Path, options: &[&str], fields: &[&str]) -> Vec<Vec<String>> {
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-r"]).arg(capture).args(options);
    cmd.args(["-T", "fields", "-E", "separator=/t"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("tshark runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}
