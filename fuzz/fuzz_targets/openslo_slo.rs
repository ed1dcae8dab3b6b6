//! Any text pasted into the alert lab as an OpenSLO file is read or refused, never a panic;
//! an SLO that is accepted also runs in the lab's incident set for a while, its own alert
//! table included, without a panic, a hang or a huge allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ops_dojo_engine::alert_lab::{self, Table};
use ops_dojo_engine::openslo_import;
use ops_dojo_engine::Simulation;

/// Ticks run of an accepted SLO: 5.5 simulated hours evaluate the file's alert table every
/// tick (what a hostile table could make slow) and keep an execution well under a second.
const TICKS: u32 = 2_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(slo) = openslo_import::read(text, "fuzz.yaml") else {
        return;
    };
    let Ok(world) = alert_lab::incident_set() else {
        return;
    };
    let scenario = world.with_only_slo(slo.slo_spec());
    let spec = scenario.slos[0].clone();
    let mut sim = Simulation::new(scenario, 1);
    sim.step_n(TICKS);
    if let Some(input) = alert_lab::LabInput::of(&sim, 0) {
        let _ = alert_lab::compare(&input, &[Table::of_slo(&spec)], sim.tick());
    }
});
