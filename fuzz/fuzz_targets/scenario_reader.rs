//! Any text loaded as a scenario file is parsed or refused, never a panic; a file that is
//! accepted also starts and runs for a while without a panic, a hang or a huge allocation
//! (an accepted file with extreme values is where the engine's arithmetic breaks).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ops_dojo_engine::{Scenario, Simulation};

/// Ticks run of an accepted file: 2,000 ticks (5.5 simulated hours) reach every per-tick
/// path (traffic, faults, alerts, delivery) yet keep an execution well under a second.
const TICKS: u32 = 2_000;

fuzz_target!(|data: &[u8]| {
    // The app and the CLI only ever hand the reader text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(scenario) = Scenario::parse(text, "fuzz.toml") {
        let mut sim = Simulation::new(scenario, 1);
        sim.step_n(TICKS);
        // The summary reads everything the run recorded (percentiles, budgets, DORA).
        let _ = sim.summary();
    }
});
