//! Compiles the built-in scenarios (and the alert lab's incident set) in without their
//! comments. The comments explain the
//! numbers to whoever reads the files in `scenarios/`; nobody reads them inside the shipped
//! program, where they weighed about 2.6 KB gzipped. `catalog.rs` includes the copies this
//! writes, and `tests/share.rs` checks that each copy is exactly the scenario its file is.

use std::path::Path;
use std::{env, fs};

#[path = "build/comments.rs"]
mod comments;
use comments::without_comments;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    println!("cargo::rerun-if-changed={}", dir.display());
    println!("cargo::rerun-if-changed=build/comments.rs");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("scenarios");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");
    for entry in fs::read_dir(&dir).expect("scenarios/ is there") {
        let path = entry.expect("a readable entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            println!("cargo::rerun-if-changed={}", path.display());
            let text = fs::read_to_string(&path).expect("a scenario file is text");
            let name = path.file_name().expect("a file");
            fs::write(out.join(name), without_comments(&text)).expect("OUT_DIR is writable");
        }
    }
    let incidents = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/alert_lab/incident_set.toml");
    println!("cargo::rerun-if-changed={}", incidents.display());
    let text = fs::read_to_string(&incidents).expect("the incident set is text");
    fs::write(out.join("incident_set.toml"), without_comments(&text)).expect("OUT_DIR is writable");
}
