//! The pager: the open incident (acknowledge it), which burn-rate alerts are firing now, and
//! the rules behind them.

use ops_dojo_engine::alerts::Severity;
use ops_dojo_engine::clock::format_duration;
use ops_dojo_engine::freeze_request::Decision;
use ops_dojo_engine::incident::{Incident, Postmortem};
use ops_dojo_engine::team::POSTMORTEM_HOURS;
use ops_dojo_engine::{Action, ClockTime};
use yew::prelude::*;

use crate::components::action_button::action_button;
use crate::state::RunView;

/// `on_act` takes an action on the run (acknowledging the page, resolving, a postmortem).
pub fn alert_feed(run: &RunView, on_act: &Callback<Action>) -> Html {
    let sim = run.sim();
    let alerting = sim.alerting();
    let firing: Vec<_> = alerting.firing().collect();
    let summary = sim.alert_summary();
    let incidents = sim.incidents().summary();
    let open = sim.incidents().open().cloned();
    // Where it hurts, worst first, while an incident is open (triage by harm).
    let harm = if open.is_some() {
        sim.harm()
    } else {
        Vec::new()
    };
    let finished = sim.is_finished();
    let acknowledge = on_act.reform(|_: MouseEvent| Action::AcknowledgePage);
    let resolve = on_act.reform(|_: MouseEvent| Action::ResolveIncident);
    let postmortem = on_act.reform(|_: MouseEvent| Action::WritePostmortem);
    // The oldest mitigated incident not yet closed: resolve it (after its postmortem).
    let waiting = sim
        .incidents()
        .all()
        .iter()
        .find(|i| !i.is_open() && i.resolved_at.is_none())
        .cloned();
    let minutes = |m: Option<f64>| m.map_or_else(|| "—".to_string(), |m| format_duration(m * 60.0));
    html! {
        <section class="alert-feed" aria-labelledby="alerts-title">
            <h2 id="alerts-title">{ "Pager" }</h2>
            if let Some(incident) = open {
                <div id="incident-open" class={classes!("incident", incident.acknowledged_at.is_none().then_some("unacknowledged"))}>
                    <p><strong>{ format!("Incident #{} open", incident.number) }</strong>
                        { format!(" since {}", ClockTime::at(incident.opened_at)) }</p>
                    if harm.len() > 1 {
                        <p>{ "Several services are failing on their own. Work the worst first:" }</p>
                        <ol id="incident-harm" class="incident-harm">
                            { for harm.iter().map(|h| html! {
                                <li>{ format!("{}: {} requests/s failing{}", h.name, crate::format::count(h.failing_rps.round() as u64),
                                    if sim.worked_this_incident(h.service) { " (being worked)" } else { "" }) }</li>
                            }) }
                        </ol>
                    }
                    if let Some(at) = incident.acknowledged_at {
                        <p>{ format!("Acknowledged at {} — mitigate it: the incident closes when no page fires.", ClockTime::at(at)) }</p>
                    } else {
                        <button id="action-acknowledge" class="primary" disabled={finished} onclick={acknowledge}>
                            { "Acknowledge" }</button>
                        <p class="action-cost">{ "Says you are on it. The time from page to acknowledgement is your MTTA." }</p>
                    }
                </div>
            }
            if let Some(incident) = waiting {
                <div id="incident-mitigated" class="incident">
                    <p><strong>{ format!("Incident #{} mitigated", incident.number) }</strong>
                        { format!(" — it spent {} of the error budget.", crate::format::percent(incident.budget_spent.unwrap_or(0.0), 0)) }</p>
                    if incident.postmortem == Postmortem::Owed {
                        <button id="action-postmortem" class="primary" disabled={finished} onclick={postmortem}>{ "Write the postmortem" }</button>
                        <p class="action-cost">{ format!("The error budget policy asks for one when an incident spends over {}: {:.0} SRE hours, with its action items.",
                            crate::format::percent(sim.scenario().policy.postmortem_budget_share.0, 0), POSTMORTEM_HOURS) }</p>
                    } else {
                        <button id="action-resolve" disabled={finished} onclick={resolve}>{ "Resolve" }</button>
                        <p class="action-cost">{ "Closes it: acknowledge → mitigate → resolve." }</p>
                    }
                </div>
            }
            if let Some(request) = sim.freeze_requests().waiting() {
                <div id="freeze-request" class="incident request">
                    <p><strong>{ format!("Request #{}: ship through the freeze?", request.number) }</strong>
                        { format!(" DevOps asks to ship \"{}\" ({}) while deploys are frozen.", request.feature,
                            request.strategy.label().to_ascii_lowercase()) }</p>
                    { action_button(run, on_act, "action-approve-request".into(), Action::AnswerFreezeRequest { approve: true }, None, "Approve: ship it".into()) }
                    { action_button(run, on_act, "action-decline-request".into(), Action::AnswerFreezeRequest { approve: false }, None, "Decline: wait for the thaw".into()) }
                    <p>{ format!("On the record if you answer now: {}.", sim.freeze_answer(Decision::Declined).reasons()) }</p>
                    <p class="action-cost">{ "The policy halts releases except P0 and security fixes: weigh the budget left, the burn now and any open incident." }</p>
                </div>
            }
            <ul id="alert-feed" aria-live="assertive">
                if firing.is_empty() {
                    <li class="quiet">{ "No alert firing." }</li>
                }
                { for firing.iter().map(|(rule, since)| html! {
                    <li class={classes!("alert", severity_class(rule.severity))}>
                        <strong>{ format!("{} firing", rule.severity.label()) }</strong>
                        { format!(" since {} — burn ≥ {:.2}× over {}", ClockTime::at(*since), rule.burn_rate, rule.name) }
                    </li>
                }) }
            </ul>
            <p class="alert-counts">{ format!("So far: {} page(s), {} at night; {} ticket(s).",
                summary.pages, summary.pages_night, summary.tickets) }</p>
            <p class="alert-counts" id="incident-stats">{ format!(
                "Incidents: {} ({} at night), {} acknowledged; median time to acknowledge {}, to mitigate {}.",
                incidents.count, incidents.at_night, incidents.acknowledged,
                minutes(incidents.mtta_minutes_median), minutes(incidents.mttr_minutes_median)) }</p>
            if !sim.incidents().all().is_empty() {
                <details class="explain" id="incident-timeline">
                    <summary>{ format!("Incident timeline ({})", sim.incidents().all().len()) }</summary>
                    <ol class="incident-timeline">
                        { for sim.incidents().all().iter().rev().map(|i| html! {
                            <li>{ incident_line(i) }</li>
                        }) }
                    </ol>
                </details>
            }
            <details class="explain">
                <summary>{ "How these alerts work" }</summary>
                <p>{ "Multi-window, multi-burn-rate alerts (SRE Workbook): an alert fires when the burn rate over BOTH its long and its short window reaches the threshold — the long window shows the burn matters, the short one that it is still going on." }</p>
                <table class="rules">
                    <thead><tr><th>{ "severity" }</th><th>{ "windows" }</th><th>{ "burn rate ≥" }</th><th>{ "budget spent when it fires" }</th></tr></thead>
                    <tbody>
                        { for alerting.rules().iter().map(|rule| html! {
                            <tr>
                                <td>{ rule.severity.label() }</td>
                                <td>{ &rule.name }</td>
                                <td>{ format!("{:.2}×", rule.burn_rate) }</td>
                                <td>{ format!("{:.0} %", rule.budget_share * 100.0) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </section>
    }
}

pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Page => "page",
        Severity::Ticket => "ticket",
    }
}

/// One incident from page to close, in words: acknowledge → mitigate → resolve.
fn incident_line(incident: &Incident) -> String {
    let after = |seconds: Option<f64>| seconds.map(format_duration);
    let mut parts = vec![format!(
        "#{} paged {}{}",
        incident.number,
        ClockTime::at(incident.opened_at),
        if incident.night { " (night)" } else { "" }
    )];
    parts.push(after(incident.seconds_to_acknowledge()).map_or_else(
        || "not acknowledged".to_string(),
        |t| format!("acknowledged after {t}"),
    ));
    parts.push(after(incident.seconds_to_mitigate()).map_or_else(
        || "still open".to_string(),
        |t| format!("mitigated after {t}"),
    ));
    if let Some(spent) = incident.budget_spent {
        parts.push(format!("spent {:.0} % of the budget", spent * 100.0));
    }
    parts.push(
        match incident.postmortem {
            Postmortem::NotNeeded => "",
            Postmortem::Owed => "postmortem owed",
            Postmortem::Written(_) => "postmortem written",
        }
        .to_string(),
    );
    if incident.resolved_at.is_some() {
        parts.push("resolved".to_string());
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}
