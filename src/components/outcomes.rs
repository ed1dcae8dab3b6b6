//! Outcomes as the run goes: delivery (DORA keys and the 2024 tier), the team's load and
//! what users and the business got — the numbers the two roles are judged by.

use ops_dojo_engine::clock::format_duration;
use ops_dojo_engine::outcomes::Dora;
use yew::prelude::*;

use crate::format::percent;
use crate::state::RunView;

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_string())
}

pub fn outcomes(run: &RunView) -> Html {
    let sim = run.sim();
    let dora = Dora::of(sim.deploys(), sim.tick());
    let team = sim.team_outcome();
    let features = sim.features_outcome();
    let incidents = sim.incidents().summary();
    let minutes = |m: Option<f64>| or_dash(m.map(|m| format_duration(m * 60.0)));
    let failed = sim.requests_failed();
    let row = |label: &'static str, value: String, hint: &'static str| {
        html! {
            <tr><th scope="row">{ label }<span class="hint">{ hint }</span></th><td>{ value }</td></tr>
        }
    };
    html! {
        <section class="outcomes" aria-labelledby="outcomes-title" id="outcomes">
            <h2 id="outcomes-title">{ "Outcomes so far" }</h2>
            <table>
                <tbody>
                    <tr class="group"><th colspan="2">{ format!("Delivery (DORA) — tier: {}", dora.tier.map_or("no deploys yet", |t| t.label())) }</th></tr>
                    { row("Deploys", format!("{} ({:.2} a day)", dora.deployments, dora.deployment_frequency_per_day), "elite: on demand, many a day") }
                    { row("Lead time", or_dash(dora.lead_time_hours_median.map(|h| format_duration(h * 3600.0))), "commit → production, median; elite < 1 day") }
                    { row("Change fail rate", or_dash(dora.change_failure_rate.map(|r| percent(r, 0))), "deploys needing a rollback, hotfix or kill switch") }
                    { row("Recovery time", minutes(dora.recovery_time_minutes_median), "failed deploy → users back on good code; elite < 1 h") }
                    { row("Stopped by canary", dora.stopped_by_canary.to_string(), "bad changes that never reached everyone") }
                    <tr class="group"><th colspan="2">{ "Operations (SRE)" }</th></tr>
                    { row("Pages", format!("{} by day, {} at night", team.pages_day, team.pages_night), "night pages wake someone up") }
                    { row("Incidents", format!("{} (MTTA {}, MTTR {})", incidents.count, minutes(incidents.mtta_minutes_median), minutes(incidents.mttr_minutes_median)), "medians; every value is in the debrief") }
                    { row("Postmortems", format!("{} written, {} owed", incidents.postmortems_written, incidents.postmortems_owed), "owed when an incident spends > 20 % of the budget") }
                    { row("Toil", format!("{} of team hours ({:.0} h)", percent(team.toil_share, 1), team.toil_hours), "SRE book: keep it under 50 %") }
                    <tr class="group"><th colspan="2">{ "Users and business" }</th></tr>
                    { row("Features in use", format!("{} (value {} points)", features.shipped, features.value), "live, and switched on if flagged") }
                    { row("Failed requests", failed.to_string(), "every one a user who saw an error") }
                </tbody>
            </table>
        </section>
    }
}
