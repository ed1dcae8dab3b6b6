//! The engine's lower layers never import higher ones (docs/architecture.md, "The engine's
//! layers"). Read from the sources: every `crate::<module>` a layer's code names must belong
//! to that layer or one below. Test modules (after `#[cfg(test)]`) may reach up.
//!
//! Every module of `src/` belongs to exactly one layer (a new module must be added to one
//! here, or the last test fails). A name after `crate::` that starts with a capital (a
//! re-export from the crate root) counts as the root, which no layer may use: it would hide
//! where the item lives. Native only: it reads the source files.
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
const MODELS: &[&str] = &[
    "error",
    "service",
    "traffic",
    "faults",
    "delivery",
    "team",
    "slo",
    "alerts",
    "alert_policy",
    "incident",
    "outcomes",
    "action",
    "action_items",
    "freeze_request",
    "triage",
    "guidance",
];
const SIM: &[&str] = &["sim"];
const READERS: &[&str] = &[
    "report",
    "bots",
    "objectives",
    "debrief",
    "scorecard",
    "slo_export",
];
const DRIVERS: &[&str] = &[
    "session",
    "share",
    "play_link",
    "action_log",
    "openslo_import",
    "alert_lab",
    "par",
    "what_if",
];
const LAYERS: [&[&str]; 6] = [FOUNDATION, SCENARIO, MODELS, SIM, READERS, DRIVERS];

/// The modules a file's code (its tests left out) names as `crate::<module>`.
fn imports(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found: Vec<String> = code
        .match_indices("crate::")
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                return "<crate root>".to_string();
            }
            rest.chars()
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

/// Layer `n` may import itself and every layer below it.
fn check_layer(n: usize) {
    let allowed: Vec<&str> = LAYERS[..=n]
        .iter()
        .flat_map(|l| l.iter())
        .copied()
        .collect();
    check(LAYERS[n], &allowed);
}

#[test]
fn the_foundation_imports_only_the_foundation() {
    check_layer(0);
}

#[test]
fn the_scenario_layer_imports_only_itself_and_the_foundation() {
    check_layer(1);
}

#[test]
fn the_models_import_nothing_above_them() {
    check_layer(2);
}

#[test]
fn the_simulation_imports_nothing_above_it() {
    check_layer(3);
}

#[test]
fn the_readers_of_a_run_import_nothing_above_them() {
    check_layer(4);
}

#[test]
fn the_drivers_may_import_every_layer() {
    check_layer(5);
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: Vec<String> = std::fs::read_dir(&src)
        .expect("src")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_string)
        })
        .filter(|name| name != "lib")
        .collect();
    modules.sort();
    let layered: Vec<&str> = LAYERS.iter().flat_map(|l| l.iter()).copied().collect();
    for module in &modules {
        assert!(
            layered.contains(&module.as_str()),
            "src/{module}.rs is in no layer: add it to one in this test and in docs/architecture.md"
        );
    }
    assert_eq!(
        layered.len(),
        modules.len(),
        "a layer names a module that is gone"
    );
}

#[test]
fn the_check_sees_an_upward_import() {
    let dir = std::env::temp_dir().join(format!("ops-dojo-layers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("probe.rs");
    std::fs::write(&file, "use crate::sim::World;\nuse crate::Simulation;\nfn f() { crate::clock::x(); }\n#[cfg(test)]\nmod tests { use crate::bots; }\n").expect("write");
    assert_eq!(imports(&file), ["<crate root>", "clock", "sim"]);
    let _ = std::fs::remove_dir_all(&dir);
}
