//! What the player can do, by role: SRE operates the services (scale, protections,
//! retries), DevOps ships features. Both can roll back the last deploy.

use ops_dojo_engine::{Action, Role};
use yew::prelude::*;

use crate::components::sre_operations::SreOperations;
use crate::format::percent;
use crate::state::{PlayAction, PlayState};

#[derive(Properties, PartialEq)]
pub struct ActionPanelProps {
    pub state: UseReducerHandle<PlayState>,
}

#[function_component(ActionPanel)]
pub fn action_panel(props: &ActionPanelProps) -> Html {
    let state = &props.state;
    let sim = state.sim.borrow();
    let finished = sim.is_finished();
    let act = |action: Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(PlayAction::Act(action)))
    };
    let live_deploys = sim.deploys().iter().filter(|d| d.is_live()).count();
    let roll_back = html! {
        <div class="action">
            <button id="action-rollback" disabled={finished || live_deploys == 0}
                onclick={act(Action::RollBack)}>{ "↩ Roll back last deploy" }</button>
            <p class="action-cost">{ format!("{live_deploys} deploy(s) live. Rolling back removes the newest one — and its feature.") }</p>
        </div>
    };
    let body = match state.role {
        Role::Sre => html! {
            <>
                <SreOperations state={state.clone()} />
                { roll_back }
            </>
        },
        Role::Devops => html! {
            <>
                <div class="action">
                    <button id="action-ship" class="primary" disabled={finished}
                        onclick={act(Action::ShipFeature { strategy: Default::default() })}>{ "Ship next feature" }</button>
                    <p class="action-cost">{ format!(
                        "Goes live at once to all users. About {} of features carry a defect that makes requests fail.",
                        percent(sim.scenario().delivery.defect_probability.0, 0)) }</p>
                    <p class="action-cost">{ format!("Features live: {live_deploys}") }</p>
                </div>
                { roll_back }
            </>
        },
    };
    html! {
        <section class="action-panel" aria-labelledby="actions-title">
            <h2 id="actions-title">{ format!("Your actions ({})", state.role.label()) }</h2>
            { body }
            if let Some(reason) = &state.refusal {
                <p class="refusal" role="status">{ format!("Not done: {reason}") }</p>
            }
        </section>
    }
}
