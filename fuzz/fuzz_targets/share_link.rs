//! Any `embed=` part of a share link unpacks to text or is refused (bounded: a small link
//! must not inflate without limit), and the text is parsed as a scenario, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ops_dojo_engine::share::{scenario_code, unpack_scenario};
use ops_dojo_engine::Scenario;

fuzz_target!(|data: &[u8]| {
    // An input starting "OD" is the link's text; any other input is the DEFLATE stream
    // itself, wrapped here, so that mutations reach the decompressor directly.
    let text = if data.starts_with(b"OD") {
        String::from_utf8_lossy(data).into_owned()
    } else {
        scenario_code(data)
    };
    if let Ok(scenario_text) = unpack_scenario(&text) {
        let _ = Scenario::parse(&scenario_text, "link.toml");
    }
});
