//! What a team can spend hours on besides features: investments (hours now, for fewer
//! defects, faster pipelines, less toil) and, for DevOps, the action items postmortems ask
//! for. Both are rows of the same kind: a button that says what it costs, and what it buys.

use ops_dojo_engine::{Action, Investment, Role};
use yew::prelude::*;

use crate::components::action_button::action_button;
use crate::state::RunView;

pub struct InvestmentsProps {
    pub run: RunView,
    /// The team whose investments are listed.
    pub role: Role,
    /// Takes an action on the run (buying an investment, shipping an action item).
    pub on_act: Callback<Action>,
}

/// One row: a button for `action` (greyed out with the engine's reason when refused), and
/// what it buys.
fn row(props: &InvestmentsProps, id: String, action: Action, label: String, buys: String) -> Html {
    html! {
        <li>
            { action_button(&props.run, &props.on_act, id.into(), action, None, label.into()) }
            <span class="action-cost">{ buys }</span>
        </li>
    }
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
                    let label = if level >= investment.levels() {
                        format!("✓ {}", investment.label())
                    } else {
                        format!("{} ({:.0} h)", investment.label(), investment.hours())
                    };
                    let mut buys = investment.explain().to_string();
                    if investment.levels() > 1 {
                        buys += &format!(" (level {level} of {})", investment.levels());
                    }
                    row(props, format!("invest-{}", investment.id()), Action::Invest { investment }, label, buys)
                }) }
            </ul>
        </details>
    }
}

/// The DevOps backlog of reliability fixes postmortems asked for (this run's, and any the
/// scenario starts with), P0 first; open while any waits. Nothing shows while there are none.
pub fn action_items(props: &InvestmentsProps) -> Html {
    let sim = props.run.sim();
    let items = sim.action_items();
    if items.all().is_empty() {
        return Html::default();
    }
    let waiting = items.waiting().count();
    let shipped = items.all().iter().filter(|i| i.shipped_at.is_some());
    html! {
        <details class="action investments" id="action-items" open={waiting > 0}>
            <summary class="action-label">{ format!("Postmortem action items ({waiting} waiting)") }</summary>
            <ul>
                { for items.waiting().chain(shipped).map(|item| {
                    let what = format!("{} {}", item.priority.label(), item.fix.label());
                    let label = match item.shipped_at {
                        Some(_) => format!("✓ {what}"),
                        None => format!("{what} ({:.0} h)", item.hours),
                    };
                    let buys = match item.incident {
                        0 => format!("From an earlier postmortem: {}.", item.fix.effect()),
                        n => format!("Incident #{n}'s postmortem: {}.", item.fix.effect()),
                    };
                    row(props, format!("action-item-{}", item.number), Action::ShipActionItem { item: item.number }, label, buys)
                }) }
            </ul>
            <p class="hint">{ "A P0 ships even while deploys are frozen; the rest wait for the thaw." }</p>
        </details>
    }
}
