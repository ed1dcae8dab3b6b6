//! Investments a team can make: hours now, for fewer defects, faster pipelines, less toil.

use ops_dojo_engine::{Action, Investment, Role};
use yew::prelude::*;

use crate::state::RunView;

pub struct InvestmentsProps {
    pub run: RunView,
    /// The team whose investments are listed.
    pub role: Role,
    /// Takes an action on the run (buying an investment).
    pub on_act: Callback<Action>,
}

pub fn investments(props: &InvestmentsProps) -> Html {
    let sim = props.run.sim();
    let team = sim.team();
    let free = team.hours(props.role).available;
    html! {
        <details class="action investments">
            <summary class="action-label">{ format!("Invest {} hours ({free:.1} h free)", props.role.label()) }</summary>
            <ul>
                { for Investment::ALL.iter().filter(|i| i.role() == props.role).map(|&investment| {
                    let level = team.level(investment);
                    let done = level >= investment.levels();
                    let invest = Action::Invest { investment };
                    let refused = props.run.refusal(invest);
                    let onclick = props.on_act.reform(move |_: MouseEvent| invest);
                    let id = format!("invest-{}", investment.id());
                    html! {
                        <li>
                            <button {id} disabled={refused.is_some()} title={refused.clone()} {onclick}>
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
