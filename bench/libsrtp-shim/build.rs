//! Compiles `src/shim.c` (the `srtp_policy_t` set-up, so that Rust needs no copy of the
//! struct's layout) and links the system libsrtp 2 (Debian: `apt-get install libsrtp2-dev`).

fn main() {
    println!("cargo:rerun-if-changed=src/shim.c");
    cc::Build::new()
        .file("src/shim.c")
        .warnings(true)
        .compile("srtp_shim");
    println!("cargo:rustc-link-lib=srtp2");
}
