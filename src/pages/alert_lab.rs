//! The alert lab: bring your own SLO. An OpenSLO v1 file (pasted or loaded) is judged on the
//! lab's incident set or on any built-in scenario's traffic and faults: when its alerts
//! would have paged, what the incidents cost, and how the Workbook's and the other named
//! tables would have done on the very same run.

use std::rc::Rc;

use gloo::file::callbacks::{read_as_text, FileReader};
use gloo::file::File as GlooFile;
use ops_dojo_engine::alert_lab::{self, OwnSloRun};
use ops_dojo_engine::openslo_import::{self, ImportedSlo};
use ops_dojo_engine::scenario::limits::MAX_FILE_BYTES;
use ops_dojo_engine::{catalog, Scenario};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::alert_lab::LabResults;
use crate::format::percent;
use crate::route::{use_location, wants_projector};
use crate::storage;

/// Where the pasted file is kept between visits: a reload loses nothing.
const DRAFT_KEY: &str = "ops-dojo.alert-lab.draft";

/// The world picker's value for the incident set.
const INCIDENT_SET: &str = "incidents";

/// A small SLO with a two-row AlertPolicy, as a team might write one.
const EXAMPLE: &str = r#"apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-good-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="checkout",code!~"5.."}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="checkout"}[5m]))
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good requests
      target: 0.995
  alertPolicies:
    - kind: AlertPolicy
      metadata:
        name: checkout-burn
      spec:
        conditions:
          - kind: AlertCondition
            metadata:
              name: fast-burn
            spec:
              severity: page
              condition:
                kind: burnrate
                op: gte
                threshold: 10
                lookbackWindow: 1h
                alertAfter: 5m
          - kind: AlertCondition
            metadata:
              name: slow-burn
            spec:
              severity: ticket
              condition:
                kind: burnrate
                op: gte
                threshold: 2
                lookbackWindow: 1d
                alertAfter: 30m
"#;

/// What the last "Run the lab" gave.
#[derive(Clone, PartialEq)]
enum Outcome {
    Error(String),
    Done(Rc<(ImportedSlo, OwnSloRun)>),
}

/// The lab's world: the incident set or a built-in scenario; the error says which failed.
fn world(id: &str) -> Result<Scenario, String> {
    if id == INCIDENT_SET {
        return alert_lab::incident_set().map_err(|e| e.to_string());
    }
    match catalog::load(id) {
        Some(parsed) => parsed.map_err(|e| e.to_string()),
        None => Err(format!("{id}: no such scenario")),
    }
}

#[function_component(AlertLabPage)]
pub fn alert_lab_page() -> Html {
    let projector = wants_projector(&use_location().query);
    let text = use_state(|| storage::read(DRAFT_KEY).unwrap_or_default());
    let source = use_state(|| "pasted".to_string());
    let world_id = use_state(|| INCIDENT_SET.to_string());
    let seed = use_state(|| 1u64);
    let outcome = use_state(|| None::<Outcome>);
    let note = use_state(|| None::<String>);

    let keep = {
        let (text, note) = (text.clone(), note.clone());
        Callback::from(move |value: String| {
            // Keeping the draft can fail (storage off or full): say so, keep the text on screen.
            note.set(
                storage::write(DRAFT_KEY, &value)
                    .err()
                    .map(|e| format!("Your file is not kept for your next visit: {e}.")),
            );
            text.set(value);
        })
    };
    let on_input = {
        let (keep, source) = (keep.clone(), source.clone());
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            source.set("pasted".into());
            keep.emit(area.value());
        })
    };
    let on_example = {
        let (keep, source, outcome) = (keep.clone(), source.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            source.set("example.yaml".into());
            outcome.set(None);
            keep.emit(EXAMPLE.to_string());
        })
    };
    // The file reader must outlive the callback that started it.
    let reader = use_mut_ref(|| None::<FileReader>);
    let on_file = {
        let (keep, source, outcome) = (keep.clone(), source.clone(), outcome.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let file = GlooFile::from(file);
            let name = file.name();
            // Refuse a huge file before reading it: it cannot be an SLO, and reading it
            // would only fill memory.
            if file.size() > MAX_FILE_BYTES as u64 {
                outcome.set(Some(Outcome::Error(format!(
                    "{name}: the file is {} bytes; the limit is {MAX_FILE_BYTES} bytes (64 KB)",
                    file.size()
                ))));
                return;
            }
            let (keep, source, outcome) = (keep.clone(), source.clone(), outcome.clone());
            let task = read_as_text(&file, move |read| match read {
                Ok(text) => {
                    source.set(name);
                    outcome.set(None);
                    keep.emit(text);
                }
                Err(e) => outcome.set(Some(Outcome::Error(format!(
                    "{name}: cannot read the file: {e}"
                )))),
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let on_world = {
        let world_id = world_id.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            world_id.set(select.value());
        })
    };
    let on_seed = {
        let seed = seed.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            // An empty or bad number keeps the last good seed; the field shows it again.
            if let Ok(value) = input.value().trim().parse::<u64>() {
                seed.set(value);
            } else {
                input.set_value(&seed.to_string());
            }
        })
    };
    let on_run = {
        let (text, source, world_id, seed, outcome) = (
            text.clone(),
            source.clone(),
            world_id.clone(),
            seed.clone(),
            outcome.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let result = openslo_import::read(&text, &source)
                .map_err(|e| e.to_string())
                .and_then(|slo| {
                    let world = world(&world_id)?;
                    let run = alert_lab::run_own_slo(world, &slo, *seed);
                    Ok(Rc::new((slo, run)))
                });
            outcome.set(Some(match result {
                Ok(done) => Outcome::Done(done),
                Err(message) => Outcome::Error(message),
            }));
        })
    };
    let home_href = if projector {
        "#/?profile=projector"
    } else {
        "#/"
    };
    let worlds: Vec<(String, String)> = std::iter::once((
        INCIDENT_SET.to_string(),
        "The incident set: a fast outage, a night blip, a slow burn, a latency regression (5 days)"
            .to_string(),
    ))
    .chain(catalog::all().into_iter().flatten().map(|s| {
        let title = format!("{} ({} days)", s.title, s.days.0);
        (s.id.0, title)
    }))
    .collect();

    html! {
        <main class="home alert-lab-page">
            <p class="back-link"><a href={home_href}>{ "← Ops Dojo: back to the scenarios" }</a></p>
            <h1>{ "Alert lab: bring your own SLO" }</h1>
            <p class="tagline">{ "Paste your team's SLO as an OpenSLO v1 file. The lab runs it against incidents, with nobody acting, and shows when your alerts would have paged, what the incidents cost, and how the SRE Workbook's table and the others would have done on the very same run." }</p>
            <details class="explain">
                <summary>{ "What the lab reads" }</summary>
                <p>{ "apiVersion: openslo/v1. A kind: SLO with budgetingMethod: Occurrences, one rolling timeWindow in days or weeks (1 to 90 days), and a target (or targetPercent). Its SLI as a ratioMetric (good or bad over total), inline or by indicatorRef: the queries are shown, the counts are simulated. Optionally AlertPolicy documents whose AlertConditions are kind: burnrate with op gte or gt: the lookbackWindow is the alert's window, alertAfter how long the burn must last first. Severities other than page and ticket are read as a page when they say critical, high, urgent, emergency, p1 or sev1, else as a ticket. Anything else is refused with its line and column." }</p>
                <p>{ "Multi-window alerts: OpenSLO's AlertCondition has one window. Ops Dojo's own export keeps each rule's short window in the annotation ops-dojo/short-window, and the lab reads it back." }</p>
            </details>
            <form class="alert-lab-form" onsubmit={on_run}>
                <p>
                    <label for="alert-lab-yaml">{ "Your OpenSLO v1 file" }</label>
                </p>
                <textarea id="alert-lab-yaml" rows="16" spellcheck="false" autocomplete="off"
                    value={(*text).clone()} oninput={on_input}
                    placeholder="apiVersion: openslo/v1&#10;kind: SLO&#10;…" />
                <p class="alert-lab-inputs">
                    <button type="button" id="alert-lab-example" onclick={on_example}>{ "Paste an example" }</button>
                    { " " }
                    <label for="alert-lab-file">{ "or load a file " }</label>
                    <input id="alert-lab-file" type="file" accept=".yaml,.yml,text/yaml,text/plain" onchange={on_file} />
                </p>
                if let Some(note) = &*note {
                    <p class="hint" role="status">{ note.clone() }</p>
                }
                <p class="alert-lab-inputs">
                    <label for="alert-lab-world">{ "Judge it on " }</label>
                    <select id="alert-lab-world" onchange={on_world}>
                        { for worlds.iter().map(|(id, title)| html! {
                            <option value={id.clone()} selected={*id == *world_id}>{ title.clone() }</option>
                        }) }
                    </select>
                    { " " }
                    <label for="alert-lab-seed">{ "seed " }</label>
                    <input id="alert-lab-seed" type="number" min="0" value={seed.to_string()} onchange={on_seed} class="seed-input" />
                </p>
                <p><button type="submit" id="alert-lab-run" class="primary">{ "Run the lab" }</button></p>
            </form>
            { match &*outcome {
                None => Html::default(),
                Some(Outcome::Error(message)) => html! {
                    <p class="route-error" role="alert" id="alert-lab-error">{ message.clone() }</p>
                },
                Some(Outcome::Done(done)) => {
                    let (slo, run) = &**done;
                    html! {
                        <section id="alert-lab-result" aria-labelledby="alert-lab-result-heading">
                            <h2 id="alert-lab-result-heading" tabindex="-1">{ format!("{} on {}", slo.name, run.title) }</h2>
                            <p id="alert-lab-summary">{ format!(
                                "{} good over {} days. {}. Seed {}, {} days, nobody acting: at the end {} of the budget was left.",
                                percent(slo.target, 2),
                                slo.window_days,
                                if slo.rules.is_empty() { "Your file has no AlertPolicy, so the lab compares the named tables".to_string() }
                                    else { format!("Your AlertPolicy has {} condition{}", slo.rules.len(), if slo.rules.len() == 1 { "" } else { "s" }) },
                                run.seed,
                                run.days,
                                percent(run.budget_remaining, 1),
                            ) }</p>
                            if !slo.notes.is_empty() {
                                <ul class="hint" id="alert-lab-notes">
                                    { for slo.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                                </ul>
                            }
                            <LabResults id="alert-lab" caption={format!("{}: how each alert table would have paged", slo.name)}
                                reports={Rc::new(run.reports.clone())} events={Rc::new(run.events.clone())} />
                            <details class="explain">
                                <summary>{ "Your SLI's queries" }</summary>
                                <dl>
                                    { for slo.queries.iter().map(|(part, query)| html! {
                                        <><dt>{ part.clone() }</dt><dd><code>{ query.clone() }</code></dd></>
                                    }) }
                                </dl>
                            </details>
                        </section>
                    }
                }
            } }
        </main>
    }
}
