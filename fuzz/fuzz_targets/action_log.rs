//! Any text loaded as an action log is read or refused, never a panic; a log that reads is
//! replayed on a real scenario, each action applied or refused, never a panic (an action
//! carries numbers nothing has checked yet: services, replicas, deploys, ticks).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ops_dojo_engine::scenario::Bounded;
use ops_dojo_engine::{action_log, catalog, Simulation};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(actions) = action_log::read(text) else {
        return;
    };
    let Some(Ok(mut scenario)) = catalog::load("first-slo") else {
        return;
    };
    // One day (8,640 ticks) keeps an execution near a tenth of a second; a later action
    // is simply never due, as the CLI would refuse it after the run.
    scenario.days = Bounded(1);
    let mut sim = Simulation::new(scenario, 1);
    let mut pending = actions.iter().peekable();
    while !sim.is_finished() {
        while let Some(stamped) = pending.next_if(|a| a.tick <= sim.tick()) {
            // A refusal is an answer, as in the CLI's replay; only a panic is a finding.
            let _ = sim.apply_by(stamped.by, stamped.action);
        }
        sim.step();
    }
});
