//! Many seeds of one scenario, played in Web Workers so the page stays responsive: two bot
//! pairs on the same seeds, each run's scorecard sent back as plain numbers. The workers
//! (`static/seed-worker.js`) load the page's own wasm and call [`seed_scorecard`], so no
//! second program is shipped. Dropping [`Workers`] stops them at once: that is Cancel.

use std::rc::Rc;

use ops_dojo_engine::scorecard::Scorecard;
use ops_dojo_engine::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::compare::BotPair;

/// Plays one seed of a scenario with a bot pair in both seats. The worker calls it; the
/// card comes back as numbers (`Scorecard::to_numbers`), a problem as text.
#[wasm_bindgen]
pub fn seed_scorecard(scenario: &str, seed: u64, pair: &str) -> Result<Vec<f64>, String> {
    let scenario = Scenario::parse(scenario, "scenario.toml").map_err(|e| e.to_string())?;
    let pair = BotPair::parse(pair).ok_or_else(|| format!("no bot pair is called {pair:?}"))?;
    let sim = pair.run(scenario, seed);
    Ok(Scorecard::of(&sim.summary()).to_numbers())
}

/// One run to play.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Job {
    pub pair: BotPair,
    pub seed: u64,
}

/// What a worker says.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// The run at this place in the job list ended: its card, or why there is none.
    Done(usize, Result<Scorecard, String>),
    /// A worker could not start (its script or the wasm did not load).
    Failed(String),
}

/// Workers at work. Dropping this terminates them (Cancel, or leaving the page).
pub struct Workers {
    workers: Vec<Worker>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Drop for Workers {
    fn drop(&mut self) {
        for worker in &self.workers {
            worker.terminate();
        }
    }
}

/// How many workers to start: one per processor the browser reports, at most four (each
/// holds its own copy of the simulation's memory).
fn worker_count(jobs: usize) -> usize {
    let processors = web_sys::window()
        .map_or(1.0, |w| w.navigator().hardware_concurrency())
        .clamp(1.0, 4.0) as usize;
    processors.min(jobs).max(1)
}

/// The addresses of the page's own JS glue and wasm, which Trunk names in `<link>`s.
fn own_program() -> Result<(JsValue, JsValue), String> {
    let document = gloo::utils::document();
    let href = |selector: &str| {
        document
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|link| js_sys::Reflect::get(&link, &"href".into()).ok())
            .filter(JsValue::is_string)
    };
    match (
        href("link[rel=modulepreload]"),
        href("link[rel=preload][as=fetch]"),
    ) {
        (Some(glue), Some(wasm)) => Ok((glue, wasm)),
        _ => Err("this page does not name its own program, so no worker can load it".into()),
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = js_sys::Reflect::set(target, &key.into(), value);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(source, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Starts the workers on `jobs` (split among them in turn); `report` hears from them.
pub fn start(
    scenario_text: &str,
    jobs: &[Job],
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    let (glue, wasm) = own_program()?;
    let report = Rc::new(report);
    let on_message = {
        let report = report.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            report(read_report(&event.data()));
        })
    };
    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            report(Report::Failed(format!(
                "a background worker did not start: {}",
                event.message()
            )));
        });
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let count = worker_count(jobs.len());
    let mut workers = Vec::with_capacity(count);
    for first in 0..count {
        let worker = Worker::new_with_options("./seed-worker.js", &options)
            .map_err(|_| "this browser cannot start background workers".to_string())?;
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let own: js_sys::Array = (first..jobs.len())
            .step_by(count)
            .map(|index| {
                let job = js_sys::Object::new();
                set(&job, "index", &(index as f64).into());
                set(&job, "seed", &js_sys::BigInt::from(jobs[index].seed).into());
                set(&job, "pair", &jobs[index].pair.id().into());
                JsValue::from(job)
            })
            .collect();
        let message = js_sys::Object::new();
        set(&message, "glue", &glue);
        set(&message, "wasm", &wasm);
        set(&message, "scenario", &scenario_text.into());
        set(&message, "jobs", &own);
        worker
            .post_message(&message)
            .map_err(|_| "the scenario could not be handed to a worker".to_string())?;
        workers.push(worker);
    }
    Ok(Workers {
        workers,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// A worker's message: `{index, values}` for a card, `{index, error}` for a run that failed,
/// `{error}` for a worker that could not start.
fn read_report(data: &JsValue) -> Report {
    let error = get(data, "error").as_string();
    let Some(index) = get(data, "index").as_f64() else {
        return Report::Failed(
            error.unwrap_or_else(|| "a worker sent an unreadable message".into()),
        );
    };
    let card = match error {
        Some(error) => Err(error),
        None => get(data, "values")
            .dyn_into::<js_sys::Float64Array>()
            .ok()
            .and_then(|values| Scorecard::from_numbers(&values.to_vec()))
            .ok_or_else(|| "a worker sent an unreadable scorecard".to_string()),
    };
    Report::Done(index as usize, card)
}
