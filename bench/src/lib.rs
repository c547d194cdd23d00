//! Shared inputs for the criterion comparisons in `benches/`.
#![forbid(unsafe_code)]

/// Path of a file in the repository's real-world corpus (`corpus/` at the workspace root).
pub fn corpus_path(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(relative)
}
