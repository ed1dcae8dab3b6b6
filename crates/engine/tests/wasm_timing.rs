//! How long the engine takes in a browser: black-friday (the default scenario) over its 28
//! days, timed with the page's clock (`performance.now()`) in headless Chromium. Prints the
//! time; asserts nothing about it (wall-clock time never decides a test).
//!
//! Wasm only, and ignored, so neither the native nor the wasm test run pays for it;
//! `scripts/bench.sh` runs it:
//!
//! ```text
//! cargo test -p ops-dojo-engine --release --target wasm32-unknown-unknown \
//!     --test wasm_timing -- --include-ignored --nocapture
//! ```
#![cfg(target_arch = "wasm32")]

use ops_dojo_engine::clock::TICKS_PER_DAY;
use ops_dojo_engine::{catalog, Simulation};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure, Instant};

wasm_bindgen_test_configure!(run_in_browser);

/// Runs black-friday for its 28 days, three times (the first also warms the page up), and
/// prints each run's time and the fastest.
#[wasm_bindgen_test]
#[ignore = "a timing, not a test: scripts/bench.sh runs it"]
fn black_friday_28_days_in_the_browser() {
    let scenario = catalog::load("black-friday")
        .expect("black-friday is built in")
        .expect("the built-in scenarios parse");
    let days = scenario.run_ticks() / TICKS_PER_DAY;
    let mut fastest = f64::INFINITY;
    for run in 1..=3 {
        let scenario = scenario.clone();
        let start = Instant::now();
        let mut sim = Simulation::new(scenario, 1);
        while sim.step().is_some() {}
        let seconds = start.elapsed().as_secs_f64();
        fastest = fastest.min(seconds);
        console_log!(
            "wasm run {run}: black-friday, {} days ({} ticks) in {seconds:.3} s",
            sim.tick() / TICKS_PER_DAY,
            sim.tick()
        );
    }
    console_log!("wasm_timing: black-friday {days} days: {fastest:.3} s (fastest of 3)");
}

/// The heaviest file the scenario format's limits allow (`tests/fixtures/heaviest.toml`),
/// over its 90 days with both bots playing: the worst case a class link can carry.
#[wasm_bindgen_test]
#[ignore = "a timing, not a test: scripts/bench.sh runs it"]
fn heaviest_valid_scenario_90_days_in_the_browser() {
    let scenario =
        ops_dojo_engine::Scenario::parse(include_str!("fixtures/heaviest.toml"), "heaviest.toml")
            .expect("the heaviest file is valid");
    let start = Instant::now();
    let mut sim = Simulation::new(scenario, 1);
    sim.add_bot(
        ops_dojo_engine::Role::Devops,
        ops_dojo_engine::Policy::Balanced,
    );
    sim.add_bot(
        ops_dojo_engine::Role::Sre,
        ops_dojo_engine::Policy::Balanced,
    );
    while sim.step().is_some() {}
    let seconds = start.elapsed().as_secs_f64();
    console_log!(
        "wasm heaviest: the heaviest valid scenario, {} days, both bots, in {seconds:.3} s",
        sim.tick() / TICKS_PER_DAY
    );
}
