//! Scenarios a teacher loads from a file or a URL: checked with the engine's own parser
//! (errors say file:line:column, with the URL as the file name), then kept in this browser's
//! local storage so a play link to them keeps working after a reload. Nothing leaves the
//! browser; a URL is only read.

use ops_dojo_engine::{catalog, Scenario, ScenarioError};

use crate::storage;

/// Where a loaded scenario's text is kept, by id.
fn key(id: &str) -> String {
    format!("ops-dojo/scenario/{id}")
}

/// Index of the ids loaded so far (comma-separated).
const INDEX: &str = "ops-dojo/scenarios";

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

/// Keeps the text under its id, and the id in the index.
fn store(id: &str, text: &str) -> Result<(), String> {
    storage::write(&key(id), text)?;
    let mut ids = ids();
    if !ids.iter().any(|known| known == id) {
        ids.push(id.to_string());
        let _ = storage::write(INDEX, &ids.join(","));
    }
    Ok(())
}

/// A scenario by id: built in, or loaded in this browser.
pub fn find(id: &str) -> Option<Result<Scenario, ScenarioError>> {
    catalog::load(id).or_else(|| load(id))
}

/// A scenario's file text by id: built in, or loaded in this browser.
pub fn text(id: &str) -> Option<String> {
    catalog::text(id)
        .map(str::to_string)
        .or_else(|| storage::read(&key(id)))
}

/// Ids of the scenarios loaded in this browser.
pub fn ids() -> Vec<String> {
    storage::read(INDEX)
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
    let text = storage::read(&key(id))?;
    Some(Scenario::parse(&text, &format!("{id}.toml")))
}

/// Every loaded scenario that still parses.
pub fn all() -> Vec<Scenario> {
    ids().iter().filter_map(|id| load(id)?.ok()).collect()
}

/// The address a home link asks to load (`#/?load=<URL-encoded address>`), decoded; an
/// error if it is not decodable.
pub fn load_param(query: &str) -> Option<Result<String, String>> {
    let raw = query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("load="))?;
    Some(percent_decode(raw).ok_or_else(|| {
        "The link's load=… address is not URL-encoded properly, so no scenario was loaded."
            .to_string()
    }))
}

/// A home link that loads `url` when opened: what a teacher hands out. `page` is the app's
/// address, with or without a `#…` part.
pub fn load_link(page: &str, url: &str) -> String {
    let base = page.split('#').next().unwrap_or(page);
    format!("{base}#/?load={}", percent_encode(url))
}

/// `%XX` escapes decoded; None if one is malformed or the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Escapes everything but the characters JavaScript's `encodeURIComponent` keeps.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Reads a scenario file from `url`. Every failure names the URL and says what went wrong.
pub async fn fetch(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let unreachable = || {
        format!(
            "{url}: could not fetch it. The address may be wrong, the server unreachable, or it \
             does not let other sites read the file (CORS); download the file and choose it \
             above instead."
        )
    };
    let window = web_sys::window().ok_or_else(unreachable)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or_else(unreachable)?;
    if !response.ok() {
        return Err(http_error(url, response.status(), &response.status_text()));
    }
    let body = response.array_buffer().map_err(|_| unreachable())?;
    let body = JsFuture::from(body).await.map_err(|_| unreachable())?;
    scenario_text(url, &js_sys::Uint8Array::new(&body).to_vec())
}

/// What a server's refusal means for the teacher.
fn http_error(url: &str, status: u16, status_text: &str) -> String {
    let answer = format!("{status} {status_text}");
    let why = match status {
        404 | 410 => "there is no file at that address",
        401 | 403 => "the file is not public",
        500..=599 => "the server failed; try again later",
        _ => "expected the file itself (200 OK)",
    };
    format!("{url}: the server answered {}: {why}.", answer.trim())
}

/// The body of a response as scenario text, or why it cannot be one.
fn scenario_text(url: &str, body: &[u8]) -> Result<String, String> {
    let text = String::from_utf8(body.to_vec())
        .ok()
        .filter(|text| !text.contains('\0'))
        .ok_or_else(|| {
            format!("{url}: this is not a text file; a scenario is a TOML text file (UTF-8).")
        })?;
    let start = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return Err(format!(
            "{url}: this is a web page (HTML), not a scenario file. Link to the file itself \
             (on GitHub, its \"Raw\" address)."
        ));
    }
    Ok(text)
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

    #[test]
    fn a_load_link_round_trips_any_address() {
        let url = "https://example.org/a b/lab?x=1&y=é#top";
        let link = load_link("https://dojo.example/app/#/play?seed=1", url);
        assert!(
            link.starts_with("https://dojo.example/app/#/?load=https%3A%2F%2F"),
            "{link}"
        );
        let query = link.split_once("#/").map(|(_, q)| q).expect("a hash");
        assert_eq!(load_param(query), Some(Ok(url.to_string())));
        assert_eq!(
            load_param("profile=projector&load=x%2Fy.toml"),
            Some(Ok("x/y.toml".to_string()))
        );
        assert_eq!(load_param("?profile=projector"), None);
        let bad = load_param("load=%E0%A4")
            .expect("asked for")
            .expect_err("not UTF-8");
        assert!(bad.contains("not URL-encoded properly"), "{bad}");
        assert!(load_param("load=%4").expect("asked for").is_err());
    }

    #[test]
    fn a_fetched_body_must_be_scenario_text() {
        let url = "https://example.org/s.toml";
        assert_eq!(
            scenario_text(url, b"format = 1\n"),
            Ok("format = 1\n".into())
        );
        let binary = scenario_text(url, &[0x89, b'P', b'N', b'G', 0, 0]).expect_err("binary");
        assert!(
            binary.starts_with("https://example.org/s.toml: this is not a text file"),
            "{binary}"
        );
        let page = scenario_text(url, b"\n  <!DOCTYPE html><html>").expect_err("a web page");
        assert!(page.contains("web page (HTML)"), "{page}");
        assert_eq!(
            http_error(url, 404, "Not Found"),
            "https://example.org/s.toml: the server answered 404 Not Found: there is no file at that address."
        );
        // HTTP/2 answers carry no status text.
        assert!(http_error(url, 503, "").contains("answered 503: the server failed"));
    }
}
