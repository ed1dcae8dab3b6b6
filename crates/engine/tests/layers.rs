//! The engine's lower layers never import higher ones (docs/architecture.md, "The engine's
//! layers"). Read from the sources: every `crate::<module>` a layer's code names must belong
//! to that layer or one below. Test modules (after `#[cfg(test)]`) may reach up.
//!
//! Checked so far: the foundation and the scenario layer. The models, `sim` and the readers
//! of a run still import each other in one circle; each layer joins this test as it is
//! untangled. Native only: it reads the source files.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

const FOUNDATION: &[&str] = &[
    "clock",
    "math",
    "rng",
    "run_hash",
    "base64url",
    "queueing",
    "latency",
    "percentiles",
    "order",
];
const SCENARIO: &[&str] = &["scenario", "catalog"];

/// The modules a file's code (its tests left out) names as `crate::<module>`.
fn imports(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found: Vec<String> = code
        .match_indices("crate::")
        .map(|(at, _)| {
            code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect()
        })
        .filter(|name: &String| !name.is_empty())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The source files of module `name`: `name.rs` and everything under `name/`.
fn files_of(name: &str) -> Vec<std::path::PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join(format!("{name}.rs"))];
    let mut dirs = vec![src.join(name)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

fn check(layer: &[&str], allowed: &[&str]) {
    for module in layer {
        for file in files_of(module) {
            for import in imports(&file) {
                assert!(
                    allowed.contains(&import.as_str()),
                    "{} imports crate::{import}, a higher layer (allowed: {allowed:?})",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_foundation_imports_only_the_foundation() {
    check(FOUNDATION, FOUNDATION);
}

#[test]
fn the_scenario_layer_imports_only_itself_and_the_foundation() {
    let allowed: Vec<&str> = FOUNDATION.iter().chain(SCENARIO).copied().collect();
    check(SCENARIO, &allowed);
}

#[test]
fn the_check_sees_an_upward_import() {
    let dir = std::env::temp_dir().join(format!("ops-dojo-layers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("probe.rs");
    std::fs::write(&file, "use crate::sim::Simulation;\nfn f() { crate::clock::x(); }\n#[cfg(test)]\nmod tests { use crate::bots; }\n").expect("write");
    assert_eq!(imports(&file), ["clock", "sim"]);
    let _ = std::fs::remove_dir_all(&dir);
}
