//! Any text pasted as a result code is read or refused, and a code that reads is verified
//! or refused, never a panic (the teacher's page verifies codes students hand in).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ops_dojo_engine::base64url;
use ops_dojo_engine::catalog;
use ops_dojo_engine::share::{ResultCode, PREFIX};

/// Longest run replayed: a replay costs one simulated day per 8,640 ticks, so capping it
/// keeps executions fast; longer runs take the same code paths, only more of them.
const MAX_DAYS: u32 = 3;

fuzz_target!(|data: &[u8]| {
    // An input starting "OD" is a code as pasted (prefixes, whitespace and base64 are
    // checked); any other input is the code's content, wrapped here, so that mutations
    // reach the fields themselves rather than mostly breaking the base64.
    let text = if data.starts_with(b"OD") {
        String::from_utf8_lossy(data).into_owned()
    } else {
        format!("{PREFIX}{}", base64url::encode(data))
    };
    let Ok(code) = ResultCode::decode(&text) else {
        return;
    };
    if code.days > MAX_DAYS {
        return;
    }
    if let Some(Ok(scenario)) = catalog::load(&code.scenario) {
        let _ = code.verify(scenario);
    }
});
