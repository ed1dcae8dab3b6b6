//! "Take this SLO to production": the run's SLOs as the files a team deploys, an OpenSLO v1
//! document and a Prometheus rules file, with the alert table's numbers explained and both
//! files offered for download. What was practised here carries straight to real tools.
//!
//! On the debrief the learner can also switch the alert table and see how it would have
//! paged on the finished run, beside the run's own table (the engine's alert-policy lab):
//! the Workbook's measures, precision, recall, detection and reset time, and the budget
//! spent before the first page.

use ops_dojo_engine::alert_lab::{self, LabInput, Table};
use ops_dojo_engine::alert_policy::{self, AlertPolicy};
use ops_dojo_engine::slo_export::{self, duration, number, ExportOptions};
use ops_dojo_engine::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::lab_table::lab_table;
use crate::components::table_head::column_heads;
use crate::download;
use crate::own_slo;
use crate::state::RunView;

#[derive(Properties, PartialEq)]
pub struct ToProductionProps {
    pub scenario: Scenario,
    /// The finished run, on the debrief: the tables are also compared on it.
    #[prop_or_default]
    pub run: Option<RunView>,
}

/// The run's own table and the one picked, replayed on the run's counts (a row each per
/// SLO); empty without a run.
fn on_this_run(run: Option<&RunView>, picked: Option<AlertPolicy>) -> Vec<[String; 8]> {
    let Some(run) = run else {
        return Vec::new();
    };
    let sim = run.sim();
    let mut lines = Vec::new();
    for (index, spec) in sim.scenario().slos.iter().enumerate() {
        let Some(input) = LabInput::of(&sim, index) else {
            continue;
        };
        let mut tables = vec![Table::of_slo(spec)];
        tables[0].title = format!("{}, this run's table ({})", spec.name, tables[0].title);
        if let Some(policy) = picked.filter(|p| Some(*p) != tables[0].policy) {
            tables.push(Table::named(policy, spec.window_days.0));
        }
        lines.extend(
            alert_lab::compare(&input, &tables, sim.tick())
                .iter()
                .map(own_slo::row),
        );
    }
    lines
}

#[function_component(ToProduction)]
pub fn to_production(props: &ToProductionProps) -> Html {
    let prefix = use_state(String::new);
    // None: the scenario's own alert table; Some: a named one the learner picked.
    let table = use_state(|| None::<AlertPolicy>);
    let chosen;
    let scenario = match *table {
        None => &props.scenario,
        Some(policy) => {
            let mut copy = props.scenario.clone();
            alert_policy::apply_policy(&mut copy, policy);
            chosen = copy;
            &chosen
        }
    };
    let on_table = {
        let table = table.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            table.set(AlertPolicy::parse(&select.value()));
        })
    };
    // Replaying a month-long run takes a while: only when the run or the table changes,
    // not on every keystroke in the prefix field.
    let compared = use_memo((props.run.clone(), *table), |(run, picked)| {
        on_this_run(run.as_ref(), *picked)
    });
    let options = ExportOptions {
        metric_prefix: (*prefix).clone(),
    };
    let files = slo_export::exported_slos(scenario, &options).and_then(|slos| {
        Ok((
            slos,
            slo_export::openslo(scenario, &options)?,
            slo_export::prometheus_rules(scenario, &options)?,
        ))
    });
    let on_prefix = {
        let prefix = prefix.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            prefix.set(input.value());
        })
    };
    let stem = download::file_stem(&scenario.id.0);
    let offer = |file: String, text: &str| {
        let text = text.to_string();
        Callback::from(move |_: MouseEvent| {
            let _ = download::save(&file, "application/yaml", &text);
        })
    };
    html! {
        <details class="explain" id="to-production">
            <summary>{ "Take this SLO to production" }</summary>
            <p>{ "The SLOs and burn-rate alerts the simulation runs, as files your team can deploy: \
                  an OpenSLO v1 document and a Prometheus rules file (recording rules named as \
                  Sloth names them, e.g. slo:sli_error:ratio_rate5m). Prometheus fires and \
                  resolves these alerts when the simulation does: a test replays runs through \
                  Prometheus's own rule tester. Have an SLO of your own? Try it in the " }
                <a id="to-production-lab-link" href="#/alert-lab">{ "alert lab" }</a>{ "." }</p>
            <p>
                <label for="to-production-prefix">{ "Metric prefix " }</label>
                <input id="to-production-prefix" type="text" value={(*prefix).clone()}
                    placeholder="myapp_" oninput={on_prefix} autocomplete="off" spellcheck="false" />
                <span class="hint">{ " The metric names (requests_total, requests_good_total) are placeholders: the prefix goes in front of them." }</span>
            </p>
            <p>
                <label for="to-production-table">{ "Alert table " }</label>
                <select id="to-production-table" onchange={on_table}>
                    <option value="" selected={table.is_none()}>{ "As in this scenario" }</option>
                    { for AlertPolicy::ALL.iter().map(|p| html! {
                        <option value={p.id()} selected={*table == Some(*p)}>{ p.title() }</option>
                    }) }
                </select>
                if let Some(policy) = *table {
                    <span class="hint">{ format!(" {}", policy.how_it_differs()) }</span>
                }
            </p>
            if !compared.is_empty() {
                <div id="to-production-lab">
                    <p>{ "On this run, replayed through the tables:" }</p>
                    { lab_table("to-production-lab-table", &compared) }
                </div>
            }
            { match files {
                Err(error) => html! { <p role="alert" id="to-production-error">{ error.to_string() }</p> },
                Ok((slos, openslo, rules)) => html! {
                    <>
                        { for slos.iter().map(|slo| html! {
                            <div class="table-wide"><table class="compare-table">
                                <caption>{ format!("{}: {} % over {} days — each factor = budget share × period ÷ long window",
                                    slo.name, number(slo.target * 100.0), slo.window_days) }</caption>
                                <thead><tr>
                                    { column_heads(&["Alert", "Windows", "Factor", "Waits (for)", "Keeps firing for"]) }
                                </tr></thead>
                                <tbody>
                                    { for slo.alerts.iter().map(|a| html! {
                                        <tr>
                                            <td>{ a.severity.id() }</td>
                                            <td>{ if a.single_window() { a.long_window() } else { format!("{} and {}", a.long_window(), a.short_window()) } }</td>
                                            <td>{ format!("{}× = {} % × {} h ÷ {} h", number(a.factor),
                                                number(a.budget_share * 100.0), number(a.period_hours),
                                                number(a.long_seconds as f64 / 3600.0)) }</td>
                                            <td>{ duration(a.for_seconds) }</td>
                                            <td>{ duration(a.keep_firing_seconds) }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table></div>
                        }) }
                        <p>
                            <button id="to-production-openslo" type="button"
                                onclick={offer(format!("{stem}.openslo.yaml"), &openslo)}>
                                { "Download OpenSLO" }
                            </button>{ " " }
                            <button id="to-production-prometheus" type="button"
                                onclick={offer(format!("{stem}.rules.yml"), &rules)}>
                                { "Download Prometheus rules" }
                            </button>
                        </p>
                        <details>
                            <summary>{ "OpenSLO v1" }</summary>
                            <pre class="export-file" tabindex="0" aria-label="OpenSLO v1 file">{ openslo }</pre>
                        </details>
                        <details>
                            <summary>{ "Prometheus rules" }</summary>
                            <pre class="export-file" tabindex="0" aria-label="Prometheus rules file">{ rules }</pre>
                        </details>
                    </>
                },
            } }
        </details>
    }
}
