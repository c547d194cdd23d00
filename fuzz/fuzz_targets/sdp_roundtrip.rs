//! `parse(write(parse(x))) == parse(x)` whenever the first parse succeeds;
//! lenient parsing is lossless when the input uses one line ending.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdp_parse::{Mode, SessionDescription};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for mode in [Mode::Strict, Mode::Lenient] {
        let Ok(first) = SessionDescription::parse_with(text, mode) else {
            continue;
        };
        let written = first.description.to_string();
        let second =
            SessionDescription::parse_with(&written, mode).expect("written description parses");
        assert_eq!(second.description, first.description);
        let mixed = first
            .warnings
            .iter()
            .any(|w| w.kind == sdp_parse::ErrorKind::MixedLineEndings);
        if !mixed {
            assert_eq!(written, text, "lossless");
        }
        // The owned form writes the same bytes.
        assert_eq!(first.description.clone().into_owned().to_string(), written);
    }
});
