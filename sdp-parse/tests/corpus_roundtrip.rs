//! Every real SDP in `corpus/sdp/` parses strictly with no warnings and
//! writes back to the exact input bytes.

use std::borrow::Cow;
use std::sync::Arc;

use sdp_parse::{check, Mode, SessionDescription};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/sdp");

fn corpus() -> Vec<(String, String)> {
    let mut v: Vec<_> = std::fs::read_dir(CORPUS)
        .expect("corpus/sdp exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sdp"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("corpus SDP is UTF-8");
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_has_every_file() {
    assert_eq!(corpus().len(), 13);
}

#[test]
fn corpus_parses_strictly_without_warnings() {
    for (name, text) in corpus() {
        let parsed = SessionDescription::parse_with(&text, Mode::Strict)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
        let lenient = SessionDescription::parse_lenient(&text).unwrap();
        assert!(
            lenient.warnings.is_empty(),
            "{name}: {:?}",
            lenient.warnings
        );
        assert_eq!(lenient.description, parsed.description, "{name}");
    }
}

#[test]
fn corpus_writes_back_exact_bytes() {
    for (name, text) in corpus() {
        let sdp = SessionDescription::parse(&text).unwrap();
        assert_eq!(sdp.to_string(), text, "{name} (Display)");
        let mut out = Vec::new();
        sdp.write_to(&mut out);
        assert_eq!(out, text.as_bytes(), "{name} (write_to)");
        let owned = sdp.clone().into_owned();
        // Cow compares by content: the owned strings equal the borrowed ones.
        assert_eq!(
            owned.clone().map_text(&mut Cow::Owned),
            sdp.clone().map_text(&mut Cow::Borrowed),
            "{name}: into_owned keeps the value"
        );
        assert_eq!(owned.to_string(), text, "{name}: owned writes the same");
        // Any string type: the same text, the same accessors, the same findings.
        let shared = owned.clone().map_text(&mut Arc::<str>::from);
        assert_eq!(shared.to_string(), text, "{name}: Arc<str> writes the same");
        assert_eq!(
            shared.media.iter().map(|m| m.mid()).collect::<Vec<_>>(),
            sdp.media.iter().map(|m| m.mid()).collect::<Vec<_>>(),
            "{name}"
        );
        assert_eq!(shared.ice_ufrag(), sdp.ice_ufrag(), "{name}");
        let role = check::Role::detect(&sdp);
        assert_eq!(role, check::Role::detect(&shared), "{name}");
        let findings = check::check(&sdp, role);
        assert_eq!(check::check(&owned, role), findings, "{name}");
        assert_eq!(check::check(&shared, role), findings, "{name}");
    }
}

#[test]
fn corpus_has_no_raw_or_unknown_lines() {
    use sdp_parse::{Attribute, Line};
    for (name, text) in corpus() {
        let sdp = SessionDescription::parse(&text).unwrap();
        let all = sdp
            .lines
            .iter()
            .chain(sdp.media.iter().flat_map(|m| m.lines.iter()));
        for l in all {
            match l {
                Line::Malformed(_) | Line::Unknown { .. } => panic!("{name}: {l:?}"),
                // Only `a=tool` (ffmpeg) is outside the typed set.
                Line::Attribute(Attribute::Other { name: n, .. }) => {
                    assert_eq!(*n, "tool", "{name}");
                }
                _ => {}
            }
        }
    }
}

/// Each section's lines are held in a vector of their exact size (the
/// parser allocates room for every line left and gives back the rest when
/// the section closes); the sections themselves are pushed as found.
#[test]
fn section_vectors_are_exact() {
    for (name, text) in corpus() {
        let sdp = SessionDescription::parse(&text).unwrap();
        assert_eq!(sdp.lines.capacity(), sdp.lines.len(), "{name}: session");
        assert!(
            sdp.media.capacity() <= sdp.media.len().max(4) * 2,
            "{name}: {} sections, room for {}",
            sdp.media.len(),
            sdp.media.capacity()
        );
        for m in &sdp.media {
            assert_eq!(
                m.lines.capacity(),
                m.lines.len(),
                "{name}: section vector is exact"
            );
        }
    }
}
