//! Scenarios a teacher loads from a file: checked with the engine's own parser (errors say
//! file:line:column), then kept in this browser's local storage so a play link to them
//! keeps working after a reload. Nothing leaves the browser.

use ops_dojo_engine::{catalog, Scenario, ScenarioError};

/// Where a loaded scenario's text is kept, by id.
fn key(id: &str) -> String {
    format!("ops-dojo/scenario/{id}")
}

/// Index of the ids loaded so far (comma-separated).
const INDEX: &str = "ops-dojo/scenarios";

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(target_arch = "wasm32")]
fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

// Native builds (the app's unit tests) have no browser storage.
#[cfg(not(target_arch = "wasm32"))]
fn read(_key: &str) -> Option<String> {
    None
}

/// Checks a file's text; a valid scenario is kept and returned. An id that a built-in
/// scenario uses is refused: links to built-ins must always mean the built-in.
pub fn add(file_name: &str, text: &str) -> Result<Scenario, String> {
    let scenario = Scenario::parse(text, file_name).map_err(|e| e.to_string())?;
    let id = &scenario.id.0;
    if catalog::load(id).is_some() {
        return Err(format!(
            "{file_name}: the id \"{id}\" belongs to a built-in scenario; give yours another id"
        ));
    }
    store(id, text)?;
    Ok(scenario)
}

#[cfg(target_arch = "wasm32")]
fn store(id: &str, text: &str) -> Result<(), String> {
    let storage = storage()
        .ok_or("this browser does not allow saving the scenario (local storage is off)")?;
    storage
        .set_item(&key(id), text)
        .map_err(|_| "this browser's storage is full: the scenario was not saved".to_string())?;
    let mut ids = ids();
    if !ids.iter().any(|known| known == id) {
        ids.push(id.to_string());
        let _ = storage.set_item(INDEX, &ids.join(","));
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn store(_id: &str, _text: &str) -> Result<(), String> {
    Ok(())
}

/// Ids of the scenarios loaded in this browser.
pub fn ids() -> Vec<String> {
    read(INDEX)
        .map(|list| {
            list.split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A loaded scenario by id, parsed again (a stored text is checked like a file).
pub fn load(id: &str) -> Option<Result<Scenario, ScenarioError>> {
    let text = read(&key(id))?;
    Some(Scenario::parse(&text, &format!("{id}.toml")))
}

/// Every loaded scenario that still parses.
pub fn all() -> Vec<Scenario> {
    ids().iter().filter_map(|id| load(id)?.ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_checked_with_positions_and_may_not_take_a_built_in_id() {
        let error = add("mine.toml", "format = 1\nid = \"x\"\ntitle = 3\n").expect_err("bad");
        assert!(error.starts_with("mine.toml:3:9: "), "{error}");
        let first_slo = include_str!("../scenarios/first-slo.toml");
        let error = add("copy.toml", first_slo).expect_err("built-in id");
        assert!(error.contains("belongs to a built-in scenario"), "{error}");
        let renamed = first_slo.replacen("id = \"first-slo\"", "id = \"my-slo\"", 1);
        assert_eq!(add("copy.toml", &renamed).expect("valid").id.0, "my-slo");
    }
}
