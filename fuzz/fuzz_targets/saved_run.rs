//! Any text restored as a saved run (the browser's storage can be edited) is read or
//! refused, and a run that reads resumes or is refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ops_dojo_engine::base64url;
use ops_dojo_engine::catalog;
use ops_dojo_engine::clock::TICKS_PER_DAY;
use ops_dojo_engine::share::{SavedRun, SAVED_PREFIX};

/// Furthest point replayed, ticks: as for result codes, more days only repeat the paths.
const MAX_TICK: u32 = 3 * TICKS_PER_DAY;

fuzz_target!(|data: &[u8]| {
    // As in result_code: text as stored, or else the content, wrapped here.
    let text = if data.starts_with(b"OD") {
        String::from_utf8_lossy(data).into_owned()
    } else {
        format!("{SAVED_PREFIX}{}", base64url::encode(data))
    };
    let Ok(saved) = SavedRun::decode(&text) else {
        return;
    };
    if saved.tick > MAX_TICK {
        return;
    }
    if let Some(Ok(scenario)) = catalog::load(&saved.scenario) {
        if let Ok(mut sim) = saved.resume(scenario) {
            // The bots take their seats again on resume: let them play a little.
            sim.step_n(100);
        }
    }
});
