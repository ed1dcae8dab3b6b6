//! Shown when the run reaches its end: the outcome in numbers, and where to go next.

use ops_dojo_engine::clock::format_duration;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::format::{count, percent};
use crate::route::Route;
use crate::state::RunView;

#[derive(Properties, PartialEq)]
pub struct RunCompleteProps {
    pub run: RunView,
}

#[function_component(RunComplete)]
pub fn run_complete(props: &RunCompleteProps) -> Html {
    let sim = props.run.sim();
    let summary = sim.summary();
    let status = sim.slo_status();
    let slo = &summary.slos[0];
    let kept = slo.budget_remaining > 0.0;
    html! {
        <section id="run-complete" class={classes!("run-complete", if kept { "tone-ok" } else { "tone-bad" })}
            aria-labelledby="complete-title">
            <h2 id="complete-title">{ if kept { "Run complete: the SLO held" } else { "Run complete: the SLO was missed" } }</h2>
            <ul>
                <li>{ format!("Availability over the run: {} (target {})", percent(slo.attainment, 3), percent(slo.target, 1)) }</li>
                <li>{ format!("Error budget left: {} ({} of {})", percent(slo.budget_remaining, 1),
                    format_duration(status.budget_remaining_seconds), format_duration(status.budget_total_seconds)) }</li>
                <li>{ format!("Failed requests: {} of {}", count(summary.requests_total - summary.requests_good), count(summary.requests_total)) }</li>
                <li>{ format!("Features live: {}, deploys rolled back: {}, replicas at the end: {}",
                    summary.features_shipped, summary.deploys_rolled_back, summary.final_replicas) }</li>
                <li>{ "Run hash: " }<code>{ &summary.run_hash }</code>
                    { " — the same scenario, seed and actions always give this hash." }</li>
            </ul>
            <p>
                <Link<Route> to={Route::Home} classes="button">{ "Back to scenarios" }</Link<Route>>
            </p>
        </section>
    }
}
