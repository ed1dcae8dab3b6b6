//! Compare: runs of one scenario and seed side by side — yours kept in this browser (play it
//! as SRE, then as DevOps) and the bots' — as a table of outcomes and the error budget over
//! time, so the trade-offs of each way of playing are read on identical conditions.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use ops_dojo_engine::par;
use ops_dojo_engine::scorecard::{Better, METRICS};
use ops_dojo_engine::Scenario;
use yew::prelude::*;

use crate::compare::{BotPair, Compared};
use crate::components::budget_lines::{budget_lines, BudgetLinesProps};
use crate::components::many_seeds::ManySeeds;
use crate::components::metric_table::{metric_table, Cell, MetricColumn, MetricTableProps};
use crate::format::metric_value;
use crate::own_scenarios;
use crate::route::{query_value, use_location, Route};
use crate::saved_runs;

/// A run that can be compared.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// One of yours, by its storage key.
    Yours {
        key: String,
        label: String,
    },
    Bots(BotPair),
    /// The expert's solution (the par), for a built-in scenario as shipped.
    Expert,
}

impl Source {
    fn id(&self) -> String {
        match self {
            Source::Yours { key, .. } => key.clone(),
            Source::Bots(pair) => pair.id(),
            Source::Expert => "expert".to_string(),
        }
    }

    fn label(&self) -> String {
        match self {
            Source::Yours { label, .. } => label.clone(),
            Source::Bots(pair) => pair.label(),
            Source::Expert => "Expert solution (the par)".to_string(),
        }
    }

    /// Plays (or resumes) the run; an error says why a kept run could not be read.
    fn run(&self, scenario: &Scenario, seed: u64) -> Result<Compared, String> {
        match self {
            Source::Yours { key, label } => saved_runs::resume_key(key, scenario.clone())
                .map(|sim| Compared::of(label.clone(), &sim)),
            Source::Bots(pair) => Ok(Compared::of(
                pair.label(),
                &pair.run(scenario.clone(), seed),
            )),
            Source::Expert => par::expert_run(scenario, seed)
                .map(|sim| Compared::of(self.label(), &sim))
                .ok_or_else(|| "this scenario has no expert solution".to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
struct CompareState {
    /// Ids of the runs ticked, in the order they were ticked.
    selected: Vec<String>,
    /// Runs played so far, by id (an Err: why it could not be).
    results: Vec<(String, Result<Compared, String>)>,
}

enum CompareAction {
    Toggle(String),
    Done(String, Result<Compared, String>),
}

impl Reducible for CompareState {
    type Action = CompareAction;

    fn reduce(self: Rc<Self>, action: CompareAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            CompareAction::Toggle(id) => {
                if let Some(at) = next.selected.iter().position(|s| *s == id) {
                    next.selected.remove(at);
                } else {
                    next.selected.push(id);
                }
            }
            CompareAction::Done(id, result) => next.results.push((id, result)),
        }
        Rc::new(next)
    }
}

#[function_component(ComparePage)]
pub fn compare_page() -> Html {
    let query = use_location().query;
    let scenario_id = query_value(&query, "scenario").unwrap_or_default();
    let seed = query_value(&query, "seed").and_then(|s| s.parse::<u64>().ok());
    let scenario = match own_scenarios::find(&scenario_id) {
        Some(Ok(scenario)) => Some(scenario),
        _ => None,
    };
    match (scenario, seed) {
        (Some(scenario), Some(seed)) => html! { <Comparison {scenario} {seed} /> },
        _ => html! {
            <main class="compare-page">
                <header class="page-header">
                    <a class="brand" href="#/">{ "Ops Dojo" }</a>
                    <h1>{ "Compare runs" }</h1>
                </header>
                <p class="field-error" role="alert">{ "This link names no scenario and seed to compare (#/compare?scenario=…&seed=…). Finish a run, then choose “Compare” on its results." }</p>
                <p><a href={Route::Home.href("")} class="button">{ "Back to scenarios" }</a></p>
            </main>
        },
    }
}

#[derive(Properties, PartialEq)]
struct ComparisonProps {
    scenario: Scenario,
    seed: u64,
}

#[function_component(Comparison)]
fn comparison(props: &ComparisonProps) -> Html {
    let sources = use_memo((props.scenario.id.0.clone(), props.seed), |(id, seed)| {
        let mut sources: Vec<Source> = saved_runs::list(id, *seed)
            .into_iter()
            .map(|(key, label)| Source::Yours { key, label })
            .collect();
        sources.extend(BotPair::OFFERED.into_iter().map(Source::Bots));
        // The par's expert, for a built-in scenario as shipped.
        if par::available(&props.scenario) {
            sources.push(Source::Expert);
        }
        sources
    });
    let state = {
        let sources = sources.clone();
        use_reducer(move || CompareState {
            // Yours, and one pair of bots to measure them against.
            selected: sources
                .iter()
                .filter(|s| {
                    matches!(s, Source::Yours { .. }) || **s == Source::Bots(BotPair::OFFERED[2])
                })
                .map(Source::id)
                .collect(),
            results: Vec::new(),
        })
    };
    // One run per timer turn, so the page shows progress between them.
    let next = state
        .selected
        .iter()
        .find(|id| !state.results.iter().any(|(done, _)| done == *id))
        .and_then(|id| sources.iter().find(|s| s.id() == *id))
        .cloned();
    {
        let (dispatcher, scenario, seed) = (state.dispatcher(), props.scenario.clone(), props.seed);
        use_effect_with(next.clone(), move |next| {
            let timer = next.clone().map(|source| {
                Timeout::new(0, move || {
                    let result = source.run(&scenario, seed);
                    dispatcher.dispatch(CompareAction::Done(source.id(), result));
                })
            });
            move || drop(timer)
        });
    }

    let columns: Vec<&Compared> = state
        .selected
        .iter()
        .filter_map(|id| state.results.iter().find(|(done, _)| done == id))
        .filter_map(|(_, result)| result.as_ref().ok())
        .collect();
    let failures: Vec<String> = state
        .results
        .iter()
        .filter_map(|(id, result)| {
            let label = sources.iter().find(|s| s.id() == *id)?.label();
            result.as_ref().err().map(|e| format!("{label}: {e}"))
        })
        .collect();
    let scenario_text = use_memo(props.scenario.id.0.clone(), |id| {
        own_scenarios::text(id).map(Rc::new)
    });
    let has_yours = sources.iter().any(|s| matches!(s, Source::Yours { .. }));
    let play_link = |role: &str| {
        Route::Play.href(&format!(
            "scenario={}&role={role}&seed={}",
            props.scenario.id.0, props.seed
        ))
    };

    html! {
        <main class="compare-page">
            <header class="page-header">
                <a class="brand" href="#/">{ "Ops Dojo" }</a>
                <h1>{ format!("Compare runs: {}, seed {}", props.scenario.title, props.seed) }</h1>
            </header>
            <section class="compare-pick" aria-labelledby="pick-title">
                <h2 id="pick-title">{ "Runs on the same seed" }</h2>
                <p class="hint">{ "Same traffic, same backlog, same faults: only the choices differ. Tick the runs to put side by side." }</p>
                if !has_yours {
                    <p>{ "None of your runs of this scenario and seed is kept in this browser yet. Play it " }
                        <a href={play_link("sre")}>{ "as SRE" }</a>{ " or " }<a href={play_link("devops")}>{ "as DevOps" }</a>{ "." }</p>
                }
                <ul class="compare-sources">
                    { for sources.iter().map(|source| {
                        let id = source.id();
                        let checked = state.selected.contains(&id);
                        let toggle = {
                            let (state, id) = (state.clone(), id.clone());
                            Callback::from(move |_: Event| state.dispatch(CompareAction::Toggle(id.clone())))
                        };
                        let input_id = format!("compare-{}", crate::download::file_stem(&id));
                        html! {
                            <li>
                                <input type="checkbox" id={input_id.clone()} {checked} onchange={toggle} />
                                <label for={input_id}>{ source.label() }</label>
                            </li>
                        }
                    }) }
                </ul>
                <p id="compare-progress" role="status" class="class-progress">
                    if let Some(source) = &next {
                        { format!("Playing “{}” to the end…", source.label()) }
                    }
                </p>
                { for failures.iter().map(|f| html! { <p class="field-error" role="alert">{ f }</p> }) }
            </section>
            if !columns.is_empty() {
                <section aria-labelledby="outcomes-title">
                    <h2 id="outcomes-title">{ "Outcomes side by side" }</h2>
                    <p class="hint">{ "★ marks the best value of each row. A run that stopped early shows its numbers so far." }</p>
                    { metric_table(&MetricTableProps { id: "compare-table".into(), columns: outcome_columns(&columns) }) }
                </section>
                <section aria-labelledby="budget-lines-title">
                    <h2 id="budget-lines-title">{ "Error budget over the run" }</h2>
                    { budget_lines(&BudgetLinesProps { runs: columns.iter().map(|c| (AttrValue::from(c.label.clone()), Rc::new(c.budget_by_hour.clone()))).collect::<Vec<_>>() }) }
                </section>
            }
            if let Some(scenario_text) = &*scenario_text {
                <ManySeeds scenario_text={scenario_text.clone()} seed={props.seed} />
            }
        </main>
    }
}

/// A column per run: each metric's value, the best of each row starred.
fn outcome_columns(columns: &[&Compared]) -> Vec<MetricColumn> {
    let best: Vec<Option<f64>> = METRICS
        .iter()
        .enumerate()
        .map(|(i, metric)| {
            let values: Vec<Option<f64>> = columns.iter().map(|c| c.card.values[i]).collect();
            best_of(&values, metric.better)
        })
        .collect();
    columns
        .iter()
        .map(|c| MetricColumn {
            heading: c.label.clone(),
            note: c.unfinished.clone(),
            tier: c.card.tier.map_or("—", |t| t.label()).to_string(),
            cells: METRICS
                .iter()
                .zip(&c.card.values)
                .zip(&best)
                .map(|((metric, value), best)| Cell {
                    text: value.map_or("—".to_string(), |v| metric_value(metric, v)),
                    best: value.is_some() && *value == *best,
                })
                .collect(),
        })
        .collect()
}

/// The best of a row's values; None when no run has one, or all are equal (nothing to star).
fn best_of(values: &[Option<f64>], better: Better) -> Option<f64> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let best = present.iter().copied().reduce(|a, b| match better {
        Better::Higher => a.max(b),
        Better::Lower => a.min(b),
    })?;
    (present.iter().any(|v| *v != best)).then_some(best)
}
