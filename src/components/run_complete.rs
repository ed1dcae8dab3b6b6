//! Shown when the run reaches its end: the outcome in numbers, and where to go next.

use ops_dojo_engine::clock::format_duration;
use ops_dojo_engine::report::SloSummary;
use ops_dojo_engine::scenario::{SliKind, SloSpec};
use yew::prelude::*;

use crate::components::debrief::Debrief;
use crate::components::hand_in::HandIn;
use crate::format::{count, percent};
use crate::route::{Route, Seat};
use crate::state::RunView;

pub struct RunCompleteProps {
    pub run: RunView,
    /// The role(s) the person played, as the result code records them.
    pub seat: Seat,
}

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
                <li id="run-complete-sli">{ sli_line(sim.scenario().primary_slo(), slo) }</li>
                <li>{ format!("Error budget left: {} ({} of {})", percent(slo.budget_remaining, 1),
                    format_duration(status.budget_remaining_seconds), format_duration(status.budget_total_seconds)) }</li>
                <li>{ format!("Failed requests: {} of {}", count(summary.requests_total - summary.requests_good), count(summary.requests_total)) }</li>
                <li>{ format!("Features live: {}, deploys rolled back: {}, replicas at the end: {}",
                    summary.features_shipped, summary.deploys_rolled_back, summary.final_replicas) }</li>
                <li>{ "Run hash: " }<code>{ &summary.run_hash }</code>
                    { " — the same scenario, seed and actions always give this hash." }</li>
            </ul>
            <HandIn run={props.run.clone()} seat={props.seat} />
            <Debrief run={props.run.clone()} seat={props.seat} />
            <p class="buttons">
                <a id="compare-link" class="button" href={Route::Compare.href(&format!("scenario={}&seed={}", sim.scenario().id.0, sim.seed()))}>
                    { "Compare with the bots and your other runs on this seed" }
                </a>
                <a href={Route::Home.href("")} class="button">{ "Back to scenarios" }</a>
            </p>
        </section>
    }
}

/// What the headline SLO measured over the run, named by its own SLI: a latency SLO is
/// not about availability, and saying so would teach the wrong lesson.
fn sli_line(spec: &SloSpec, slo: &SloSummary) -> String {
    let measure = match (spec.sli, spec.threshold_seconds()) {
        (SliKind::Availability, _) => "Availability (requests that succeeded)".to_string(),
        (SliKind::Latency, Some(seconds)) => format!(
            "Latency SLI (requests answered within {:.0} ms)",
            seconds * 1000.0
        ),
        (SliKind::Latency, None) => "Latency SLI (requests answered in time)".to_string(),
    };
    let at = spec.service.as_ref().map_or(String::new(), |service| {
        format!(" at {}", service.get_ref())
    });
    // The target as written (99.95 %, 95 %), not rounded to one decimal.
    let target = (slo.target * 10_000.0).round() / 100.0;
    format!(
        "{measure}{at} over the run: {} (target {target} %)",
        percent(slo.attainment, 3)
    )
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;

    fn headline(id: &str) -> (SloSpec, SloSummary) {
        let scenario = catalog::load(id)
            .expect("a built-in scenario")
            .expect("built-in scenarios parse");
        let spec = scenario.primary_slo().clone();
        let summary = SloSummary {
            name: spec.name.clone(),
            sli: spec.sli,
            target: spec.target.0,
            attainment: 0.96123,
            budget_remaining: 0.5,
        };
        (spec, summary)
    }

    #[test]
    fn a_latency_slo_is_named_by_its_latency_sli() {
        let (spec, slo) = headline("mmc-lab");
        assert_eq!(
            sli_line(&spec, &slo),
            "Latency SLI (requests answered within 500 ms) over the run: 96.123 % (target 95 %)"
        );
        let (spec, slo) = headline("first-slo");
        assert_eq!(
            sli_line(&spec, &slo),
            "Availability (requests that succeeded) over the run: 96.123 % (target 99.9 %)"
        );
    }
}
