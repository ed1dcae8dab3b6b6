//! Share links: one link that opens the same run's conditions for anyone — the scenario
//! (a built-in one by its id; a loaded one carried in the link itself, compressed), the
//! role, the partner bot and the seed — and, if the sender wants, the actions so far, so
//! the run opens paused where the sender was. Carried data is checked like a file, kept in
//! the receiver's browser, then taken out of the address bar.

use ops_dojo_engine::share::{scenario_code, unpack_scenario};
use ops_dojo_engine::{catalog, Policy};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableWritablePair, Response, WritableStream};

use crate::own_scenarios;
use crate::route::{query_value, PlayParams, PlayQuery, Route, Seat};
use crate::saved_runs;

/// The link parameter that carries a loaded scenario's file (`ODS1-…`).
pub const EMBED: &str = "embed";
/// The link parameter that carries a run's actions so far (a saved run, `ODR2-…`).
pub const RUN: &str = "run";

/// What a play link is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub scenario: String,
    pub seat: Seat,
    pub partner: Policy,
    pub seed: u64,
    pub projector: bool,
}

impl Setup {
    pub fn of(params: &PlayParams, projector: bool) -> Self {
        Self {
            scenario: params.scenario.id.0.clone(),
            seat: params.seat,
            partner: params.partner,
            seed: params.seed,
            projector,
        }
    }
}

/// The address of the app itself (everything before `#`).
fn page_base() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

#[wasm_bindgen]
extern "C" {
    /// The browser's compressor (Compression Streams API, in every current browser),
    /// declared here because web-sys still marks it unstable.
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;
}

/// Raw DEFLATE by the browser's own compressor, so the wasm ships only the engine's decoder.
async fn deflate(text: &str) -> Result<Vec<u8>, JsValue> {
    let compressor = CompressionStream::new("deflate-raw")?;
    let pair = ReadableWritablePair::new(&compressor.readable(), &compressor.writable());
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let compressed = Blob::new_with_str_sequence(&parts)?
        .stream()
        .pipe_through(&pair);
    let response = Response::new_with_opt_readable_stream(Some(&compressed))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(buffer.unchecked_ref()).to_vec())
}

/// A link anyone can open to play `setup`: what a teacher gives a class. A loaded scenario
/// travels inside it; a built-in one by its id.
pub async fn setup_link(setup: &Setup) -> Result<String, String> {
    let mut query = PlayQuery {
        profile: setup.projector.then_some("projector"),
        ..PlayQuery::new(&setup.scenario, setup.seat, setup.partner, setup.seed)
    }
    .to_query();
    if catalog::text(&setup.scenario).is_none() {
        if let Some(text) = own_scenarios::text(&setup.scenario) {
            let deflated = deflate(&text)
                .await
                .map_err(|_| "this browser cannot compress the scenario into a link")?;
            query.push_str(&format!("&{EMBED}={}", scenario_code(&deflated)));
        }
    }
    Ok(format!("{}{}", page_base(), Route::Play.href(&query)))
}

/// A link that opens a run where it stands (paused, with the same history): `saved` is the
/// run as `saved_runs::export` writes it.
pub async fn run_link(setup: &Setup, saved: &str) -> Result<String, String> {
    Ok(format!("{}&{RUN}={saved}", setup_link(setup).await?))
}

/// Acts on what a play link carries, if anything: keeps its scenario and run in this
/// browser and returns the plain play query to show instead; an error says what is wrong.
pub fn take(query: &str) -> Option<Result<String, String>> {
    let embedded = query_value(query, EMBED);
    let run = query_value(query, RUN);
    if embedded.is_none() && run.is_none() {
        return None;
    }
    Some((|| {
        if let Some(code) = embedded {
            let text = unpack_scenario(&code)
                .map_err(|e| format!("This link's scenario could not be read: {e}."))?;
            let scenario = own_scenarios::add("the link's scenario", &text)?;
            let named = query_value(query, "scenario").unwrap_or_default();
            if scenario.id.0 != named {
                return Err(format!(
                    "This link carries scenario “{}” but names “{named}”: it was edited.",
                    scenario.id.0
                ));
            }
        }
        let plain = without_payload(query);
        match run {
            Some(code) => {
                let opened = saved_runs::import(&code)
                    .map_err(|e| format!("This link's run could not be opened: {e}."))?;
                let profile = query_value(&plain, "profile")
                    .map(|p| format!("&profile={p}"))
                    .unwrap_or_default();
                Ok(format!("{opened}{profile}"))
            }
            None => Ok(plain),
        }
    })())
}

/// The query without the parameters that carry data.
fn without_payload(query: &str) -> String {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            key != EMBED && key != RUN
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_link_keeps_everything_but_the_carried_data() {
        assert_eq!(
            without_payload(
                "?scenario=lab&role=sre&embed=ODS1-abc&seed=5&run=ODR1-x&profile=projector"
            ),
            "scenario=lab&role=sre&seed=5&profile=projector"
        );
        // A parameter that only starts like one is kept.
        assert_eq!(
            without_payload("scenario=runway&embedded=1"),
            "scenario=runway&embedded=1"
        );
        assert_eq!(take("scenario=first-slo&role=sre&seed=1"), None);
    }
}
