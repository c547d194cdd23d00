//! Helpers shared by the integration tests.

use std::path::Path;
use std::process::Command;

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
