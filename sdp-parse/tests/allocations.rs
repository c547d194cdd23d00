//! Parsing allocates the vectors that hold the lines and the media sections,
//! and nothing else: no string, no per-line or per-field allocation, whatever
//! the attributes.

use std::alloc::System;

use sdp_parse::SessionDescription;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

// The count is process-wide, so this file holds a single test that measures.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/sdp");

#[test]
fn parse_allocates_only_the_line_and_section_vectors() {
    let mut files: Vec<_> = std::fs::read_dir(CORPUS)
        .expect("corpus/sdp exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sdp"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 13);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("corpus SDP is UTF-8");
        let region = Region::new(GLOBAL);
        let sdp = SessionDescription::parse(&text).expect("corpus SDP parses");
        let change = region.change();
        let sections = sdp.media.len();
        let lines: usize = sdp.lines.len() + sdp.media.iter().map(|m| m.lines.len()).sum::<usize>();
        // One vector for the session's lines, one per section, and the
        // vector of sections (room for 4 at first, doubled past that).
        let name = path.display();
        assert_eq!(
            change.allocations,
            1 + sections + usize::from(sections > 0),
            "{name}: {lines} lines in {sections} sections"
        );
        // Each vector of lines but the last gives back its unused room once
        // (in place); the vector of sections may grow.
        let growth = (sections.max(4) / 4).ilog2() as usize;
        assert!(
            change.reallocations <= sections + growth,
            "{name}: {change:?}"
        );
        drop(sdp);
    }
}
