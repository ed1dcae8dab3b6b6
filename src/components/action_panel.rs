//! What the player can do, by seat: SRE operates the services (scale, repair, protect,
//! freeze deploys), DevOps ships features through the pipeline; both can roll back the
//! newest deploy. Each team's free engineer-hours head the panel: most actions cost them.

use ops_dojo_engine::scenario::FreezeRule;
use ops_dojo_engine::{Action, Freeze, Role};
use yew::prelude::*;

use crate::components::action_button::action_button;
use crate::components::investments::{investments, InvestmentsProps};
use crate::components::run_panel::{Panel, RunPanel};
use crate::state::RunView;

pub struct ActionPanelProps {
    pub run: RunView,
    /// Why the person's last action was refused, shown until their next one.
    pub refusal: Option<AttrValue>,
    /// Takes an action on the run.
    pub on_act: Callback<Action>,
}

pub fn action_panel(props: &ActionPanelProps) -> Html {
    let run = &props.run;
    let sim = run.sim();
    let seat = run.seat;
    let team = sim.team();
    let hours = Role::ALL
        .iter()
        .filter(|r| seat.plays(**r))
        .map(|r| {
            let h = team.hours(*r);
            format!(
                "{}: {:.1} engineer-hours free ({} engineers)",
                r.label(),
                h.available,
                h.engineers
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let live = sim
        .deploys()
        .iter()
        .filter(|d| d.is_live() && d.exposure > 0.0)
        .count();
    let roll_back = html! {
        <div class="action">
            { action_button(run, &props.on_act, "action-rollback".into(), Action::RollBack, None, "↩ Roll back newest deploy".into()) }
            <p class="action-cost">{ format!("{live} deploy(s) serving users. A rollback takes {} min (blue/green and flags: at once); allowed in a freeze.",
                sim.timings().rollback_minutes()) }</p>
        </div>
    };
    let frozen = sim.frozen();
    let policy = sim.scenario().policy.freeze;
    let toggle_freeze = Action::SetDeployFreeze {
        on: frozen.is_none(),
    };
    let freeze = html! {
        <div class="action">
            { action_button(run, &props.on_act, "action-freeze".into(), toggle_freeze, Some(frozen.is_some()), match frozen {
                Some(Freeze::ByPolicy) => "Deploys: frozen by the policy",
                Some(Freeze::BySre) => "Deploys: frozen (press to thaw)",
                None => "Deploys: allowed (press to freeze)",
            }.into()) }
            <p class="action-cost">{ match policy {
                FreezeRule::Automatic => "Error budget policy: deploys freeze by themselves when the budget is spent and thaw when the SLO is met again; you may freeze earlier.",
                FreezeRule::BySre => "Error budget policy: you decide when deploys freeze to protect the budget.",
                FreezeRule::Off => "This team has no error budget policy: deploys never freeze.",
            } }</p>
        </div>
    };
    html! {
        <section class="action-panel" aria-labelledby="actions-title">
            <h2 id="actions-title">{ format!("Your actions ({})", seat.label()) }</h2>
            <p class="seat-line" id="seat-line">
                { crate::roles::seat_line(sim.scenario(), seat) }{ " " }
                <a href={crate::route::Route::Roles.href("")} target="_blank" rel="noopener">
                    { "About this job" }<span class="visually-hidden">{ " (opens in a new tab)" }</span>
                </a>
            </p>
            <p class="team-hours" id="team-hours">{ hours }</p>
            if seat.plays(Role::Sre) {
                if seat.plays(Role::Devops) {
                    <h3>{ "Run it (SRE)" }</h3>
                }
                <RunPanel run={run.clone()} panel={Panel::SreOperations} on_act={props.on_act.clone()} />
                { freeze }
                { investments(&InvestmentsProps { run: run.clone(), role: Role::Sre, on_act: props.on_act.clone() }) }
            }
            if seat.plays(Role::Devops) {
                if seat.plays(Role::Sre) {
                    <h3>{ "Build and ship it (DevOps)" }</h3>
                }
                <RunPanel run={run.clone()} panel={Panel::Delivery} on_act={props.on_act.clone()} />
            }
            { roll_back }
            if let Some(reason) = &props.refusal {
                <p class="refusal" role="status">{ format!("Not done: {reason}") }</p>
            }
        </section>
    }
}
