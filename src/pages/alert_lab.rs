//! The alert lab: bring your own SLO. Paste or load an OpenSLO v1 SLO (a ratio metric, a
//! target, a rolling window, and optionally an AlertPolicy); the lab runs it against the
//! built-in incident set or any scenario's traffic and faults, and shows when it would have
//! paged, what the incidents cost, and how the named alert tables (the Workbook's, Pyrra's,
//! slo-generator's, a single window) would have done on the same minutes. The run is worked
//! out in a background worker; the draft is kept in this browser, so a reload loses nothing.

use std::rc::Rc;

use gloo::file::callbacks::{read_as_text, FileReader};
use gloo::file::File as GlooFile;
use ops_dojo_engine::alert_policy::{self, AlertPolicy};
use ops_dojo_engine::slo_export::{self, ExportOptions};
use ops_dojo_engine::{catalog, openslo_import};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::lab_table::lab_table;
use crate::own_scenarios;
use crate::own_slo::{self, LabResult, INCIDENTS, PASTED};
use crate::seed_study::{self, Report, Workers};
use crate::storage;

/// Where the SLO being written is kept between visits.
const DRAFT_KEY: &str = "ops-dojo/alert-lab-slo";

/// Where the lab is.
#[derive(Debug, Clone, PartialEq)]
enum Lab {
    Idle,
    /// In a background worker.
    Working,
    Done(Rc<LabResult>),
    Failed(String),
}

/// The example: first-slo's SLO as Ops Dojo exports it, with Pyrra's alert table.
fn example() -> String {
    let Some(Ok(mut scenario)) = catalog::load("first-slo") else {
        return String::new();
    };
    alert_policy::apply_policy(&mut scenario, AlertPolicy::Pyrra);
    slo_export::openslo(&scenario, &ExportOptions::default()).unwrap_or_default()
}

#[function_component(AlertLabPage)]
pub fn alert_lab_page() -> Html {
    let lab = use_state(|| Lab::Idle);
    let (slo_area, world_select, seed_input) = (use_node_ref(), use_node_ref(), use_node_ref());
    // The worker at work, and a file being read; dropping either stops it.
    let workers = use_mut_ref(|| None::<Workers>);
    let reader = use_mut_ref(|| None::<FileReader>);
    let worlds = use_memo((), |()| {
        let mut worlds = vec![(
            INCIDENTS.to_string(),
            "The incident set: a fast outage, a night blip, a slow burn, a latency regression (5 days)".to_string(),
        )];
        let scenarios = catalog::all()
            .into_iter()
            .flatten()
            .chain(own_scenarios::all());
        worlds.extend(
            scenarios.map(|s| (s.id.0.clone(), format!("{} ({} days)", s.title, s.days.0))),
        );
        worlds
    });

    // What is written is kept as it is typed, so a reload loses nothing (best effort: a
    // browser without storage still runs the lab now).
    let keep = |text: &str| {
        let _ = storage::write(DRAFT_KEY, text);
    };
    let on_input = Callback::from(move |e: InputEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        keep(&area.value());
    });
    let fill = {
        let slo_area = slo_area.clone();
        move |text: String| {
            if let Some(area) = slo_area.cast::<HtmlTextAreaElement>() {
                area.set_value(&text);
            }
            keep(&text);
        }
    };
    let on_example = {
        let fill = fill.clone();
        Callback::from(move |_: MouseEvent| fill(example()))
    };
    let on_file = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                let file = GlooFile::from(file);
                let name = file.name();
                let (fill, lab) = (fill.clone(), lab.clone());
                *reader.borrow_mut() = Some(read_as_text(&file, move |read| match read {
                    Ok(content) => fill(content),
                    Err(error) => lab.set(Lab::Failed(format!(
                        "{name}: cannot read the file: {error}"
                    ))),
                }));
            }
            input.set_value("");
        })
    };
    let on_run = {
        let (lab, slo_area, world_select, seed_input) = (
            lab.clone(),
            slo_area.clone(),
            world_select.clone(),
            seed_input.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            workers.borrow_mut().take();
            let (Some(area), Some(select), Some(seed)) = (
                slo_area.cast::<HtmlTextAreaElement>(),
                world_select.cast::<HtmlSelectElement>(),
                seed_input.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let (slo, world, seed) = (area.value(), select.value(), seed.value());
            let Ok(seed) = seed.trim().parse::<u64>() else {
                lab.set(Lab::Failed(format!(
                    "The seed {seed:?} is not a whole number (0 or more): the same seed gives the same run."
                )));
                return;
            };
            // The file is read here first, so a mistake shows at once, with where it is.
            if let Err(error) = openslo_import::read(&slo, PASTED) {
                lab.set(Lab::Failed(error.to_string()));
                return;
            }
            let Some(world) = own_slo::world_text(&world) else {
                lab.set(Lab::Failed(format!("There is no scenario {world:?} here.")));
                return;
            };
            // A month of traffic takes a second or two: in a background worker, so the page
            // stays responsive.
            let no_worker = |why: String| {
                Lab::Failed(format!("The lab runs in a background worker, and this browser could not start one ({why})."))
            };
            let report = {
                let lab = lab.clone();
                move |report| match report {
                    Report::Lab(Ok(result)) => lab.set(Lab::Done(Rc::new(result))),
                    Report::Lab(Err(error)) => lab.set(Lab::Failed(error)),
                    Report::Failed(why) => lab.set(no_worker(why)),
                    Report::Done(..) | Report::Replayed(..) | Report::Replays(_) => {}
                }
            };
            match seed_study::start_lab(&world, &slo, seed, report) {
                Ok(started) => {
                    *workers.borrow_mut() = Some(started);
                    lab.set(Lab::Working);
                }
                Err(why) => lab.set(no_worker(why)),
            }
        })
    };

    html! {
        <main class="lab-page">
            <header class="page-header">
                <a class="brand" href="#/">{ "Ops Dojo" }</a>
                <h1>{ "Alert lab: bring your own SLO" }</h1>
            </header>
            <section class="lab-intro" aria-labelledby="lab-how">
                <h2 id="lab-how">{ "How it works" }</h2>
                <p>{ "Paste or load an SLO written in OpenSLO v1: a ratio metric (good or bad events over total), a target, one rolling time window, budgeting by occurrences, and optionally an AlertPolicy of burn-rate conditions. The lab runs a simulated service through real-looking incidents and shows when your alerts would have paged, what each incident cost first, and how the well-known alert tables would have done on the same minutes." }</p>
                <p class="hint">{ "Your queries are shown but not run: the lab counts the simulated service's own good and total requests. Nothing leaves this browser. " }
                    <a href="#/concepts?concept=multi-window-alerts">{ "How multi-window burn-rate alerts work" }</a></p>
            </section>
            <section class="lab-input" aria-labelledby="lab-slo-title">
                <h2 id="lab-slo-title">{ "Your SLO" }</h2>
                <label for="lab-slo">{ "OpenSLO v1 (YAML; one or more documents, the first SLO is used)" }</label>
                <textarea id="lab-slo" ref={slo_area} rows="14" spellcheck="false" oninput={on_input}
                    value={storage::read(DRAFT_KEY).unwrap_or_default()}
                    placeholder="apiVersion: openslo/v1\nkind: SLO\n…" />
                <div class="buttons">
                    <button id="lab-example" type="button" onclick={on_example}>{ "Use an example" }</button>
                    <label for="lab-file">{ "…or load a file " }</label>
                    <input id="lab-file" type="file" accept=".yaml,.yml,text/yaml,text/plain" onchange={on_file} />
                </div>
                <p>
                    <label for="lab-world">{ "Run it through " }</label>
                    <select id="lab-world" ref={world_select}>
                        { for worlds.iter().enumerate().map(|(i, (id, title))| html! {
                            <option value={id.clone()} selected={i == 0}>{ title.clone() }</option>
                        }) }
                    </select>
                    { " " }
                    <label for="lab-seed">{ "seed " }</label>
                    <input id="lab-seed" ref={seed_input} type="text" inputmode="numeric" size="6" value="1" />
                </p>
                <button id="lab-run" type="button" class="primary" onclick={on_run}>{ "Run the lab" }</button>
            </section>
            <section class="lab-results" aria-labelledby="lab-results-title" aria-live="polite">
                <h2 id="lab-results-title">{ "What your alerts would have done" }</h2>
                { match &*lab {
                    Lab::Idle => html! { <p class="hint">{ "Run the lab to see it here." }</p> },
                    Lab::Working => html! {
                        <p id="lab-working" role="status">{ "Working it out: the whole run, then every alert table on its minutes…" }</p>
                    },
                    Lab::Failed(error) => html! { <p id="lab-error" class="field-error" role="alert">{ error }</p> },
                    Lab::Done(result) => results(result),
                } }
            </section>
        </main>
    }
}

fn results(result: &LabResult) -> Html {
    html! {
        <div id="lab-result">
            <p><strong>{ &result.slo }</strong>{ format!(" in {}: {} of the budget left at the end.", result.world, result.budget_left) }</p>
            <ul class="lab-notes">
                { for result.queries.iter().map(|q| html! { <li>{ "SLI as written, " }<code>{ q }</code></li> }) }
                { for result.notes.iter().map(|n| html! { <li>{ n }</li> }) }
            </ul>
            <h3>{ "Significant events" }</h3>
            <p class="hint">{ "Stretches that burned the budget faster than it refills and spent 2 % of it or more: what a page is for." }</p>
            if result.events.is_empty() {
                <p>{ "None: nothing in this run was worth waking anyone for." }</p>
            } else {
                <ul id="lab-events">{ for result.events.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            }
            { lab_table("lab-table", &result.rows) }
            <details>
                <summary>{ "How the named tables differ" }</summary>
                <ul id="lab-tables">
                    { for AlertPolicy::ALL.iter().map(|p| html! { <li>{ format!("{}: {}", p.title(), p.how_it_differs()) }</li> }) }
                </ul>
            </details>
            <details>
                <summary>{ "When each table paged" }</summary>
                <ul id="lab-pages">{ for result.pages.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
            </details>
        </div>
    }
}
