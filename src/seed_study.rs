//! Whole runs played in Web Workers so the page stays responsive: many seeds of one
//! scenario (two bot pairs on the same seeds), the replays of a class's result codes, and
//! a finished run's replays for the debrief (its par and its what-ifs), and the alert lab's
//! run of a pasted SLO. Each run's outcome comes back as plain numbers, sentences or packed
//! text. The workers (`static/seed-worker.js`) load the page's own wasm and call
//! [`seed_scorecard`], [`replay_code`], [`debrief_replays`] or [`own_slo_lab`], so no second
//! program is shipped. Dropping
//! [`Workers`] stops them at once: that is Cancel.

use std::cell::RefCell;
use std::rc::Rc;

use ops_dojo_engine::par::{self, Par, ParRun};
use ops_dojo_engine::scenario::Bounded;
use ops_dojo_engine::scorecard::Scorecard;
use ops_dojo_engine::{catalog, share, what_if, Scenario, Simulation};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::class_results::{self, Replayed};
use crate::compare::BotPair;
use crate::own_slo::{self, LabResult};

/// Plays one seed of a scenario with a bot pair in both seats. The worker calls it; the
/// card comes back as numbers (`Scorecard::to_numbers`), a problem as text.
#[wasm_bindgen]
pub fn seed_scorecard(scenario: &str, seed: u64, pair: &str) -> Result<Vec<f64>, String> {
    let scenario = Scenario::parse(scenario, "scenario.toml").map_err(|e| e.to_string())?;
    let pair = BotPair::parse(pair).ok_or_else(|| format!("no bot pair is called {pair:?}"))?;
    let sim = pair.run(scenario, seed);
    Ok(Scorecard::of(&sim.summary()).to_numbers())
}

/// Replays a handed-in result code on its scenario's file text (Class results). The worker
/// calls it; it answers `{values, hash}` (the scorecard as numbers and the run hash), or why
/// the code's claim does not hold.
#[wasm_bindgen]
pub fn replay_code(code: &str, scenario: &str) -> Result<JsValue, String> {
    let (card, hash) = class_results::replay(code, scenario)?;
    let run = js_sys::Object::new();
    set(
        &run,
        "values",
        &js_sys::Float64Array::from(&card.to_numbers()[..]).into(),
    );
    set(&run, "hash", &hash.into());
    Ok(run.into())
}

/// What the debrief replays of a finished run, off the page's thread: the run itself from
/// its packed action log ([`share::pack_actions`]), the scenario's par on the run's seed
/// when it has one (hands-off and the expert, five numbers each: see [`par_run_numbers`]),
/// and each key moment with one thing changed ([`what_if`], each as its sentence). The
/// worker calls it; it answers `{par, lines}` (`par` absent without a par).
#[wasm_bindgen]
pub fn debrief_replays(scenario: &str, seed: u64, actions: &str) -> Result<JsValue, String> {
    let scenario = Scenario::parse(scenario, "scenario.toml").map_err(|e| e.to_string())?;
    let actions = share::unpack_actions(actions).map_err(|e| e.to_string())?;
    let run = Simulation::replay(scenario.clone(), seed, &actions).map_err(|e| e.to_string())?;
    let own = ParRun::of(&run);
    let answer = js_sys::Object::new();
    if let Some(par) = par::par(&scenario, seed) {
        let numbers: Vec<f64> = [par.hands_off, par.expert]
            .iter()
            .flat_map(par_run_numbers)
            .collect();
        set(
            &answer,
            "par",
            &js_sys::Float64Array::from(&numbers[..]).into(),
        );
    }
    let lines: js_sys::Array = what_if::what_ifs(&scenario, seed, &run)
        .iter()
        .map(|w| JsValue::from(w.sentence(&own)))
        .collect();
    set(&answer, "lines", &lines);
    Ok(answer.into())
}

/// The alert lab on a pasted OpenSLO SLO in `world` (a scenario's file text), off the page's
/// thread: see [`own_slo::run`]. The worker calls it; it answers the result as a list of
/// texts ([`LabResult::to_lines`]).
#[wasm_bindgen]
pub fn own_slo_lab(world: &str, slo: &str, seed: u64) -> Result<Vec<String>, String> {
    own_slo::run(world, slo, seed).map(|result| result.to_lines())
}

/// Days of black-friday a worker started ahead plays to warm up: the browser compiles wasm
/// quickly first and optimises a function only once it has run often (in the background),
/// so a worker's first real replay would otherwise run much of its time in the slower first
/// code. One day left most of that penalty; three (with bots in both seats, as replays of
/// result codes have one) leave almost none once the page waits a moment.
const WARM_UP_DAYS: u32 = 3;

/// Ticks per call of [`warm_up_play`]: a simulated hour, a few milliseconds at most, so a
/// job that arrives meanwhile waits no longer than that.
const WARM_UP_CHUNK_TICKS: u32 = 120;

thread_local! {
    /// The warm-up run of this worker, while it lasts.
    static WARM_UP: RefCell<Option<Simulation>> = const { RefCell::new(None) };
}

/// Starts a warm-up run ([`WARM_UP_DAYS`] of black-friday, balanced bots in both seats); the
/// worker plays it with [`warm_up_play`] between turns of its event loop, and stops as soon
/// as work arrives.
#[wasm_bindgen]
pub fn warm_up_start() {
    let sim = catalog::load("black-friday")
        .and_then(Result::ok)
        .map(|mut scenario| {
            scenario.days = Bounded(WARM_UP_DAYS);
            let balanced = BotPair::OFFERED[2];
            balanced.start(scenario, 1)
        });
    WARM_UP.with(|run| *run.borrow_mut() = sim);
}

/// Plays the next simulated hour of the warm-up run. `true` while there is more to play; at
/// the end (or without a run) `false`, after reading the run's scorecard as replays do, and
/// the run is forgotten.
#[wasm_bindgen]
pub fn warm_up_play() -> bool {
    WARM_UP.with(|run| {
        let mut run = run.borrow_mut();
        let Some(sim) = run.as_mut() else {
            return false;
        };
        if sim.step_n(WARM_UP_CHUNK_TICKS) == WARM_UP_CHUNK_TICKS && !sim.is_finished() {
            return true;
        }
        let _ = Scorecard::of(&sim.summary());
        *run = None;
        false
    })
}

/// A par run as numbers: budget left, features, failed requests, objectives met, objectives.
fn par_run_numbers(run: &ParRun) -> [f64; 5] {
    [
        run.budget_left,
        f64::from(run.features_shipped),
        run.failed_requests as f64,
        f64::from(run.objectives_met),
        f64::from(run.objectives),
    ]
}

/// The par [`debrief_replays`] sent, read back; `None` unless it is ten finite numbers.
pub fn par_from_numbers(numbers: &[f64]) -> Option<Par> {
    if numbers.len() != 10 || !numbers.iter().all(|n| n.is_finite()) {
        return None;
    }
    let run = |n: &[f64]| ParRun {
        budget_left: n[0],
        features_shipped: n[1] as u32,
        failed_requests: n[2] as u64,
        objectives_met: n[3] as u32,
        objectives: n[4] as u32,
    };
    Some(Par {
        hands_off: run(&numbers[..5]),
        expert: run(&numbers[5..]),
    })
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
    /// The code at this place in the list was replayed.
    Replayed(usize, Replayed),
    /// The debrief's replays were worked out, or why they were not.
    Replays(Result<Replays, String>),
    /// The alert lab ran a pasted SLO, or why it could not.
    Lab(Result<LabResult, String>),
    /// A worker could not start (its script or the wasm did not load).
    Failed(String),
}

/// What the debrief's replays found (see [`debrief_replays`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Replays {
    /// The par on the run's seed; `None` when the scenario has none.
    pub par: Option<Par>,
    /// Each what-if, as its sentence.
    pub what_ifs: Rc<Vec<String>>,
}

/// Workers at work. Dropping this terminates them (Cancel, or leaving the page).
pub struct Workers {
    _workers: Loaded,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// How many workers to start: one per processor the browser reports, at most four (each
/// holds its own copy of the simulation's memory).
fn worker_count(jobs: usize) -> usize {
    let processors = web_sys::window()
        .map_or(1.0, |w| w.navigator().hardware_concurrency())
        .clamp(1.0, 4.0) as usize;
    processors.min(jobs).max(1)
}

/// The page's own program for a worker: the address of its JS glue (Trunk names it in a
/// `<link>`) and its compiled wasm module, handed over as it is. A module posted to a worker
/// shares the browser's compiled code: the worker neither downloads nor compiles the wasm
/// again, and the code the browser has optimised for the page, or for another worker (the
/// engine's hot loop), is already fast in it.
fn own_program() -> Result<(JsValue, JsValue), String> {
    let glue = gloo::utils::document()
        .query_selector("link[rel=modulepreload]")
        .ok()
        .flatten()
        .and_then(|link| js_sys::Reflect::get(&link, &"href".into()).ok())
        .filter(JsValue::is_string);
    match glue {
        Some(glue) => Ok((glue, wasm_bindgen::module())),
        None => Err("this page does not name its own program, so no worker can load it".into()),
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = js_sys::Reflect::set(target, &key.into(), value);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(source, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Starts the workers on many seeds of `scenario_text` (the jobs split among them in
/// turn, each with the place its report names); `report` hears from them.
pub fn start(
    scenario_text: &str,
    jobs: &[(usize, Job)],
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    let jobs = jobs
        .iter()
        .map(|&(index, job)| {
            let message = js_sys::Object::new();
            set(&message, "index", &(index as f64).into());
            set(&message, "seed", &js_sys::BigInt::from(job.seed).into());
            set(&message, "pair", &job.pair.id().into());
            message
        })
        .collect();
    spawn(scenario_text, jobs, report)
}

/// Starts replays of result codes, each given with its scenario's file text, on the workers
/// started `ahead` ([`Loaded::ahead`]), or on new ones when there are none; `report` hears
/// [`Report::Replayed`] with each code's place in `codes`.
pub fn start_replays(
    ahead: Option<Loaded>,
    codes: &[(String, String)],
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    match ahead {
        Some(loaded) => loaded.hand("", replay_jobs(codes), report),
        None => spawn("", replay_jobs(codes), report),
    }
}

/// One job per code, each with its scenario's file text.
fn replay_jobs(codes: &[(String, String)]) -> Vec<js_sys::Object> {
    codes
        .iter()
        .enumerate()
        .map(|(index, (code, scenario))| {
            let message = js_sys::Object::new();
            set(&message, "index", &(index as f64).into());
            set(&message, "code", &code.into());
            set(&message, "scenario", &scenario.into());
            message
        })
        .collect()
}

/// Starts a worker on the debrief's replays of a finished run: its scenario's file text,
/// seed and packed action log; `report` hears [`Report::Replays`].
pub fn start_debrief(
    scenario_text: &str,
    seed: u64,
    actions: &str,
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    spawn_one(scenario_text, "debrief", actions, seed, report)
}

/// Starts a worker on the alert lab: a pasted SLO's text in a world (a scenario's file text)
/// on `seed`; `report` hears [`Report::Lab`].
pub fn start_lab(
    world_text: &str,
    slo_text: &str,
    seed: u64,
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    spawn_one(world_text, "lab", slo_text, seed, report)
}

/// Starts one worker on one job about `scenario_text` and `seed`: `kind` names the job for
/// the worker, with `payload` (see `static/seed-worker.js`).
fn spawn_one(
    scenario_text: &str,
    kind: &str,
    payload: &str,
    seed: u64,
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    let message = js_sys::Object::new();
    set(&message, "index", &0.0.into());
    set(&message, kind, &payload.into());
    set(&message, "seed", &js_sys::BigInt::from(seed).into());
    spawn(scenario_text, vec![message], report)
}

/// Starts workers and hands each its share of `jobs` (in turn).
fn spawn(
    scenario_text: &str,
    jobs: Vec<js_sys::Object>,
    report: impl Fn(Report) + 'static,
) -> Result<Workers, String> {
    let count = worker_count(jobs.len());
    Loaded::start(count, false)?.hand(scenario_text, jobs, report)
}

/// Workers loading (or done loading) the page's program, with no work yet: started ahead,
/// they take a job without the wait for the program to load. Dropping them terminates
/// them.
pub struct Loaded {
    workers: Vec<Worker>,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        for worker in &self.workers {
            worker.terminate();
        }
    }
}

impl Loaded {
    /// Starts as many workers as [`start_replays`] would for many codes, and has each warm
    /// up ([`warm_up_start`]) once loaded.
    pub fn ahead() -> Result<Loaded, String> {
        Self::start(worker_count(usize::MAX), true)
    }

    /// Starts `count` workers on loading the page's program (and warming up after).
    fn start(count: usize, warm: bool) -> Result<Loaded, String> {
        let (glue, wasm) = own_program()?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let mut workers = Vec::with_capacity(count);
        for _ in 0..count {
            let worker = Worker::new_with_options("./seed-worker.js", &options)
                .map_err(|_| "this browser cannot start background workers".to_string())?;
            let message = js_sys::Object::new();
            set(&message, "glue", &glue);
            set(&message, "wasm", &wasm);
            set(&message, "warm", &warm.into());
            worker
                .post_message(&message)
                .map_err(|_| "a worker could not be asked to load the program".to_string())?;
            workers.push(worker);
        }
        Ok(Loaded { workers })
    }

    /// Hands each worker its share of `jobs` (in turn) about `scenario_text`; `report` hears
    /// from them. Workers beyond the jobs are let go.
    fn hand(
        mut self,
        scenario_text: &str,
        jobs: Vec<js_sys::Object>,
        report: impl Fn(Report) + 'static,
    ) -> Result<Workers, String> {
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
        let count = self.workers.len().min(jobs.len()).max(1);
        for idle in self.workers.drain(count..) {
            idle.terminate();
        }
        for (first, worker) in self.workers.iter().enumerate() {
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let own: js_sys::Array = jobs.iter().skip(first).step_by(count).collect();
            let message = js_sys::Object::new();
            set(&message, "scenario", &scenario_text.into());
            set(&message, "jobs", &own);
            worker
                .post_message(&message)
                .map_err(|_| "the work could not be handed to a worker".to_string())?;
        }
        Ok(Workers {
            _workers: self,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

/// A worker's message: `{index, values}` for a card, `{index, error}` for a run that failed,
/// `{error}` for a worker that could not start; a replayed code's also says `replay` and,
/// with its card, `hash`.
fn read_report(data: &JsValue) -> Report {
    let error = get(data, "error").as_string();
    let Some(index) = get(data, "index").as_f64() else {
        return Report::Failed(
            error.unwrap_or_else(|| "a worker sent an unreadable message".into()),
        );
    };
    let index = index as usize;
    if get(data, "lab").is_truthy() {
        return Report::Lab(match error {
            Some(error) => Err(error),
            None => LabResult::from_lines(
                js_sys::Array::from(&get(data, "lines"))
                    .iter()
                    .filter_map(|line| line.as_string())
                    .collect(),
            )
            .ok_or_else(|| "a worker sent an unreadable result".to_string()),
        });
    }
    if get(data, "debrief").is_truthy() {
        let par = get(data, "par");
        let replays = match error {
            Some(error) => Err(error),
            None => match par.dyn_into::<js_sys::Float64Array>() {
                Ok(values) => par_from_numbers(&values.to_vec())
                    .map(Some)
                    .ok_or_else(|| "a worker sent an unreadable par".to_string()),
                Err(_) => Ok(None),
            }
            .map(|par| Replays {
                par,
                what_ifs: Rc::new(
                    js_sys::Array::from(&get(data, "lines"))
                        .iter()
                        .filter_map(|line| line.as_string())
                        .collect(),
                ),
            }),
        };
        return Report::Replays(replays);
    }
    let card = match error {
        Some(error) => Err(error),
        None => get(data, "values")
            .dyn_into::<js_sys::Float64Array>()
            .ok()
            .and_then(|values| Scorecard::from_numbers(&values.to_vec()))
            .ok_or_else(|| "a worker sent an unreadable scorecard".to_string()),
    };
    if get(data, "replay").is_truthy() {
        let hash = get(data, "hash").as_string();
        return Report::Replayed(
            index,
            card.and_then(|card| Ok((card, hash.ok_or("a worker sent no run hash")?))),
        );
    }
    Report::Done(index, card)
}
