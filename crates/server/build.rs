//! Rebuild the server when the web UI build output changes, so the embedded assets are
//! always the latest `web/dist`.
fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
