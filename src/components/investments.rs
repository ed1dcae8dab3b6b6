//! Investments a team can make: hours now, for fewer defects, faster pipelines, less toil.

use ops_dojo_engine::{Action, Investment, Role};
use yew::prelude::*;

use crate::state::{PlayAction, PlayState};

#[derive(Properties, PartialEq)]
pub struct InvestmentsProps {
    pub state: UseReducerHandle<PlayState>,
    pub role: Role,
}

#[function_component(Investments)]
pub fn investments(props: &InvestmentsProps) -> Html {
    let state = &props.state;
    let sim = state.sim.borrow();
    let team = sim.team();
    let free = team.hours(props.role).available;
    let finished = sim.is_finished();
    html! {
        <details class="action investments">
            <summary class="action-label">{ format!("Invest {} hours ({free:.1} h free)", props.role.label()) }</summary>
            <ul>
                { for Investment::ALL.iter().filter(|i| i.role() == props.role).map(|&investment| {
                    let level = team.level(investment);
                    let done = level >= investment.levels();
                    let dispatcher = state.dispatcher();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        dispatcher.dispatch(PlayAction::Act(Action::Invest { investment }))
                    });
                    let id = format!("invest-{}", investment.id());
                    html! {
                        <li>
                            <button {id} disabled={finished || done || free < investment.hours()} {onclick}>
                                { if done { format!("✓ {}", investment.label()) } else { format!("{} ({:.0} h)", investment.label(), investment.hours()) } }
                            </button>
                            <span class="action-cost">{ investment.explain() }
                                { if investment.levels() > 1 { format!(" (level {level} of {})", investment.levels()) } else { String::new() } }</span>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}
