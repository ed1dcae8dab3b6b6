//! The alert-policy lab on screen: how each alert table would have paged on one run, with
//! the SRE Workbook's four measures (precision, recall, detection and reset time) and the
//! budget spent before the first page. One table serves the debrief ("Alert tables
//! compared on this run") and the alert-lab page (bring your own SLO).

use std::rc::Rc;

use ops_dojo_engine::alert_lab::{
    self, LabInput, PolicyReport, SignificantEvent, Table, SIGNIFICANT_SHARE,
};
use ops_dojo_engine::alert_policy::AlertPolicy;
use ops_dojo_engine::alerts::Severity;
use ops_dojo_engine::ClockTime;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::format::{percent, span_minutes};
use crate::route::Route;
use crate::state::RunView;

#[derive(Properties, PartialEq)]
pub struct LabResultsProps {
    /// Prefix of every element id, so two tables can share a page.
    pub id: AttrValue,
    pub caption: AttrValue,
    pub reports: Rc<Vec<PolicyReport>>,
    pub events: Rc<Vec<SignificantEvent>>,
}

fn share(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), |v| percent(v, 0))
}

fn minutes(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), span_minutes)
}

fn when(tick: u32) -> String {
    let at = ClockTime::at(tick);
    format!("day {} {:02}:{:02}", at.day, at.hour, at.minute)
}

/// The comparison table, then the alerts of the table the learner picks, one per line.
#[function_component(LabResults)]
pub fn lab_results(props: &LabResultsProps) -> Html {
    let picked = use_state(|| 0usize);
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            picked.set(select.value().parse().unwrap_or(0));
        })
    };
    let id = |suffix: &str| format!("{}-{suffix}", props.id);
    let chosen = props.reports.get(*picked).or(props.reports.first());
    html! {
        <>
            <div class="table-wide"><table class="compare-table" id={id("table")}>
                <caption>{ props.caption.clone() }</caption>
                <thead><tr>
                    <th scope="col">{ "Alert table" }</th>
                    <th scope="col">{ "Pages (at night)" }</th>
                    <th scope="col">{ "Tickets" }</th>
                    <th scope="col"><abbr title="pages that fired during a significant event">{ "Precision" }</abbr></th>
                    <th scope="col"><abbr title="significant events that paged">{ "Recall" }</abbr></th>
                    <th scope="col"><abbr title="median minutes from an event's start to its first page">{ "Detection" }</abbr></th>
                    <th scope="col"><abbr title="median minutes from an event's end until its pages resolved">{ "Reset" }</abbr></th>
                    <th scope="col"><abbr title="the most budget any event spent before its first page">{ "Budget before page" }</abbr></th>
                </tr></thead>
                <tbody>
                    { for props.reports.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ r.title.clone() }</th>
                            <td>{ format!("{} ({})", r.pages, r.night_pages) }</td>
                            <td>{ r.tickets }</td>
                            <td>{ share(r.precision) }</td>
                            <td>{ share(r.recall) }</td>
                            <td>{ minutes(r.detection_minutes) }</td>
                            <td>{ if r.reset_minutes.is_none() && r.events_paged > 0 { "still firing".to_string() } else { minutes(r.reset_minutes) } }</td>
                            <td>{ r.budget_before_first_page.map_or_else(|| "–".into(), |s| percent(s, 1)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table></div>
            <p class="hint">{ format!(
                "A significant event is a stretch where errors ran above what the SLO allows and that spent {} of the budget or more; this run had {}{}.",
                percent(SIGNIFICANT_SHARE, 0),
                props.events.len(),
                if props.events.is_empty() { String::new() } else {
                    format!(": {}", props.events.iter().map(|e| format!("{} to {} ({} of the budget)",
                        when(e.start), when(e.end), percent(e.budget_spent, 1))).collect::<Vec<_>>().join("; "))
                }
            ) }</p>
            <p>
                <label for={id("pick")}>{ "Show the alerts of " }</label>
                <select id={id("pick")} onchange={on_pick}>
                    { for props.reports.iter().enumerate().map(|(i, r)| html! {
                        <option value={i.to_string()} selected={i == *picked}>{ r.title.clone() }</option>
                    }) }
                </select>
            </p>
            if let Some(report) = chosen {
                if let Some(policy) = report.policy {
                    <p class="hint" id={id("differs")}>{ policy.how_it_differs() }</p>
                }
                if report.firings.is_empty() {
                    <p id={id("firings")}>{ "Nothing fired." }</p>
                } else {
                    <ul class="lab-firings" id={id("firings")}>
                        { for report.firings.iter().map(|f| html! {
                            <li class={classes!((f.severity == Severity::Page).then_some("page"))}>
                                { format!("{} {} {} — {}{}{}",
                                    when(f.fired_at),
                                    if f.severity == Severity::Page { "page" } else { "ticket" },
                                    f.rule_name,
                                    f.resolved_at.map_or_else(|| "still firing at the end".to_string(), |t| format!("resolved {}", when(t))),
                                    if f.night && f.severity == Severity::Page { ", woke someone up" } else { "" },
                                    if f.real { "" } else { ", not during a significant event" }) }
                            </li>
                        }) }
                    </ul>
                }
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct RunAlertLabProps {
    pub run: RunView,
}

/// "Alert tables compared on this run", on the debrief: the run's own table and every
/// named one, replayed on the run's very counts.
#[function_component(RunAlertLab)]
pub fn run_alert_lab(props: &RunAlertLabProps) -> Html {
    let sim = props.run.sim();
    let run_ticks = sim.tick();
    let slos: Vec<Html> = (0..sim.scenario().slos.len())
        .filter_map(|index| {
            let input = LabInput::of(&sim, index)?;
            let spec = &sim.scenario().slos[index];
            let own = Table::of_slo(spec);
            let mut tables = vec![own.clone()];
            tables.extend(
                AlertPolicy::ALL
                    .iter()
                    .filter(|p| Some(**p) != own.policy)
                    .map(|p| Table::named(*p, spec.window_days.0)),
            );
            if let Some(first) = tables.first_mut() {
                first.title = format!("{} (this run)", first.title);
            }
            let reports = Rc::new(alert_lab::compare(&input, &tables, run_ticks));
            let events = Rc::new(alert_lab::significant_events(&input, run_ticks));
            let caption = format!(
                "{}: {} over {} days",
                spec.name,
                percent(spec.target.0, 2),
                spec.window_days.0
            );
            Some(html! {
                <LabResults id={format!("run-lab-{index}")} caption={caption} reports={reports} events={events} />
            })
        })
        .collect();
    html! {
        <details class="explain" id="run-alert-lab">
            <summary>{ "Alert tables compared on this run" }</summary>
            <p>{ "The same run replayed through other alert tables: the SRE Workbook's (what Sloth generates), Pyrra's, slo-generator's and a naive 10-minute threshold. The traffic and errors are this run's, so the comparison is like for like." }</p>
            { for slos }
            <p>
                <a id="run-lab-own-slo" href={Route::AlertLab.href("")} target="_blank" rel="noopener">
                    { "Try your own SLO in the alert lab" }<span class="visually-hidden">{ " (opens in a new tab)" }</span>
                </a>
                { ": paste an OpenSLO file and see when it would have paged." }
            </p>
        </details>
    }
}
