//! The headline numbers: the SLO's state in one glance, each with what it means.

use ops_dojo_engine::clock::format_duration;
use ops_dojo_engine::scenario::SliKind;
use ops_dojo_engine::slo::BurnWindow;
use yew::prelude::*;

use crate::format::{burn, percent};
use crate::state::RunView;

pub struct HeadlineProps {
    /// Rendered from the simulation's state; `version` makes Yew re-render on change.
    pub run: RunView,
}

pub fn headline(props: &HeadlineProps) -> Html {
    let sim = props.run.sim();
    let status = sim.slo_status();
    let target = status.target;
    let five_minutes = status.burn_rate(BurnWindow::FIVE_MINUTES);
    let hourly = status.burn_rate(BurnWindow::ONE_HOUR);
    let sli_now = 1.0 - five_minutes * (1.0 - target);
    // Named by the headline SLO's own SLI: a latency SLO counts slow requests as bad too.
    let (sli_now_label, good) = match status.sli {
        SliKind::Availability => ("Availability, last 5 min", "Good requests"),
        SliKind::Latency => ("Latency SLI, last 5 min", "Requests answered in time"),
    };
    let exhaustion = match status.time_to_exhaustion_seconds {
        Some(seconds) => format!("gone in {} at this rate", format_duration(seconds)),
        None if status.budget_remaining <= 0.0 => "spent: the SLO is missed".to_string(),
        None => "not burning".to_string(),
    };
    let budget_state = if status.budget_remaining <= 0.0 {
        "bad"
    } else if status.budget_remaining < 0.25 {
        "warn"
    } else {
        "ok"
    };
    html! {
        <section class="headline" aria-label="Service level">
            { number(NumberProps { id: "num-sli-now", label: sli_now_label.to_string(), value: percent(sli_now, 3), sub: String::new(), tone: if sli_now >= target { "ok" } else { "bad" }, explain: format!("{good} ÷ all requests over the last 5 simulated minutes. Target: {}.", percent(target, 1)) }) }
            { number(NumberProps { id: "num-sli", label: format!("SLI over {} days", status.window_days), value: percent(status.window_sli, 4), sub: String::new(), tone: if status.window_sli >= target { "ok" } else { "bad" }, explain: format!("The SLO's own measure: good ÷ valid requests over the rolling {}-day window. The SLO promises at least {}.", status.window_days, percent(target, 1)) }) }
            { number(NumberProps { id: "num-budget-pct", label: "Error budget left".to_string(), value: percent(status.budget_remaining, 1), sub: String::new(), tone: budget_state, explain: format!("The SLO allows {} of requests to fail over the window; this is the share of that allowance not yet spent. The window already held earlier days when the run began, so it did not start at 100 %.", percent(1.0 - target, 1)) }) }
            { number(NumberProps { id: "num-budget-time", label: "Budget as time".to_string(), value: format_duration(status.budget_remaining_seconds), sub: format!("of {} full outage", format_duration(status.budget_total_seconds)), tone: budget_state, explain: format!("The budget as minutes of full outage: (1 − {}) × {} days = {}.", percent(target, 1), status.window_days, format_duration(status.budget_total_seconds)) }) }
            { number(NumberProps { id: "num-burn-1h", label: "Burn rate, last hour".to_string(), value: burn(hourly), sub: String::new(), tone: if hourly >= 14.4 { "bad" } else if hourly >= 1.0 { "warn" } else { "ok" }, explain: format!("Error ratio ÷ allowed error ratio. 1× spends exactly the budget over the window; 14.4× in an hour is page-worthy. Budget {exhaustion}.") }) }
            { number(NumberProps { id: "num-traffic", label: "Traffic / capacity".to_string(), value: format!("{:.0} / {:.0}", sim.expected_rps(), sim.capacity_rps()), sub: "requests/s".to_string(), tone: if sim.expected_rps() > sim.capacity_rps() { "bad" } else { "ok" }, explain: "Requests arriving per second (expected) and what the replicas can serve; above capacity, requests queue, slow down and then fail.".to_string() }) }
        </section>
    }
}

/// One headline number, with its explanation one click away.
struct NumberProps {
    id: &'static str,
    label: String,
    value: String,
    explain: String,
    /// A smaller line under the value (its unit or context); empty for none.
    sub: String,
    /// "ok", "warn" or "bad".
    tone: &'static str,
}

fn number(props: NumberProps) -> Html {
    html! {
        <div class={classes!("number", format!("tone-{}", props.tone))}>
            <span class="number-label">{ &props.label }</span>
            <output id={props.id} class="number-value">{ &props.value }</output>
            if !props.sub.is_empty() {
                <span class="number-sub">{ &props.sub }</span>
            }
            <details class="explain">
                <summary>{ "What is this?" }</summary>
                <p>{ &props.explain }</p>
            </details>
        </div>
    }
}
