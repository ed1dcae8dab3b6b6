//! The browser's local storage: what the app keeps between visits (the name a player hands
//! results in under, saved runs, loaded scenarios). Nothing leaves the browser. Native builds
//! (the app's unit tests) have no storage: reads find nothing and writes are dropped.

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text kept under `key`, if any.
#[cfg(target_arch = "wasm32")]
pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`; the error says why it could not be kept, in words.
#[cfg(target_arch = "wasm32")]
pub fn write(key: &str, value: &str) -> Result<(), String> {
    storage()
        .ok_or("this browser does not allow saving (local storage is off)")?
        .set_item(key, value)
        .map_err(|_| "this browser's storage is full: it was not saved".to_string())
}

/// Forgets `key` (nothing to report: a missing key is already forgotten).
#[cfg(target_arch = "wasm32")]
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Every key that starts with `prefix`.
#[cfg(target_arch = "wasm32")]
pub fn keys(prefix: &str) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn keys(_prefix: &str) -> Vec<String> {
    Vec::new()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn read(_key: &str) -> Option<String> {
    None
}

#[cfg(not(target_arch = "wasm32"))]
pub fn write(_key: &str, _value: &str) -> Result<(), String> {
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn remove(_key: &str) {}
