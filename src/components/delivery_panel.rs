//! The DevOps desk: the next feature in the backlog, how to ship it (each strategy with
//! its lead time and what it risks), the pipeline, live deploys with their flags, hotfixes
//! and the investments that make the next change safer or faster.

use ops_dojo_engine::clock::TICK_SECONDS;
use ops_dojo_engine::delivery::{Stage, Strategy};
use ops_dojo_engine::{Action, Freeze, Role};
use yew::prelude::*;

use crate::components::action_button::action_button;
use crate::components::investments::{action_items, investments, InvestmentsProps};
use crate::format::{percent, span_minutes};
use crate::state::RunView;

/// What each strategy means for the player, in one sentence.
fn strategy_blurb(strategy: Strategy, canary_share: f64) -> String {
    match strategy {
        Strategy::AllAtOnce => "Every user gets it as soon as tests pass. Fastest; a defect hits everyone.".to_string(),
        Strategy::Rolling => "Replicas switch one after another over the rollout: a defect grows as it spreads.".to_string(),
        Strategy::Canary => format!("{} of requests first; automated analysis stops it if the canary burns budget or runs slow. Slow leaks and small slowdowns can slip through.", percent(canary_share, 0)),
        Strategy::BlueGreen => "A second fleet starts, then traffic switches at once — and back at once for an hour. Costs double replicas meanwhile.".to_string(),
        Strategy::FeatureFlag => "Ships dark: nobody runs it until you turn the flag on; the kill switch turns it off at once.".to_string(),
    }
}

/// `strategy` is the deploy strategy chosen on the panel; `on_act` takes an action on the run.
pub fn delivery_panel(
    run: &RunView,
    on_act: &Callback<Action>,
    strategy: &UseStateHandle<Strategy>,
) -> Html {
    let strategy = strategy.clone();
    let sim = run.sim();
    let scenario = sim.scenario();
    let act = |action: Action| on_act.reform(move |_: MouseEvent| action);
    // Greyed out exactly when the engine would refuse it, with its reason as the tooltip.
    let refused = |action: Action| run.refusal(action);
    let timings = sim.timings();
    let minutes = |ticks: u32| span_minutes(f64::from(ticks * TICK_SECONDS) / 60.0);
    let team = sim.team();
    let free = team.devops.available;
    let delivery = sim.delivery();
    let test_factor = team.test_factor();
    let base_risk = scenario.delivery.defect_probability.0;
    let frozen = sim.frozen();
    let requests = sim.freeze_requests().all();
    let busy = delivery.in_pipeline().cloned();
    let next = delivery.next().cloned();
    let ship_note = match (&next, &busy, frozen) {
        (None, _, _) => "The backlog is empty: everything has shipped.".to_string(),
        (_, _, Some(Freeze::ByPolicy)) => "Deploys are frozen by the error budget policy: only rollbacks, hotfixes and P0 fixes until the SLO is met again. To ship this feature anyway, ask the SRE for an exception.".to_string(),
        (_, _, Some(Freeze::BySre)) => "Deploys are frozen by the SRE to protect the error budget: only rollbacks, hotfixes and P0 fixes until they thaw them. To ship this feature anyway, ask the SRE for an exception.".to_string(),
        (_, Some(d), _) => format!("Wait: deploy #{} is in its {} stage (the pipeline takes one change at a time).", d.number, d.stage.label()),
        (Some(f), None, None) if f.effort_hours > free => format!("Needs {:.0} engineer-hours; the team has {free:.1} h. Hours come in through the day.", f.effort_hours),
        (Some(f), None, None) => format!(
            "Costs {:.0} engineer-hours; in production in {}.",
            f.effort_hours,
            minutes(timings.lead_ticks(*strategy))
        ),
    };
    let ship = Action::ShipFeature {
        strategy: *strategy,
    };
    let live: Vec<_> = delivery
        .deploys
        .iter()
        .filter(|d| d.is_live() || d.stage.in_pipeline() || d.stage == Stage::RollingBack)
        .rev()
        .take(6)
        .cloned()
        .collect();
    let newest_live = delivery
        .deploys
        .iter()
        .rev()
        .find(|d| d.is_live() && d.hotfix_of.is_none());
    let devops = InvestmentsProps {
        run: run.clone(),
        role: Role::Devops,
        on_act: on_act.clone(),
    };
    html! {
        <div class="delivery">
            <div class="action next-feature">
                <span class="action-label">{ "Next feature" }</span>
                if let Some(feature) = &next {
                    <p id="next-feature"><strong>{ &feature.name }</strong>{ format!(
                        " — value {} points, {:.0} engineer-hours, defect risk {}",
                        feature.value, feature.effort_hours,
                        percent(feature.defect_chance(base_risk, test_factor), 0)) }</p>
                } else {
                    <p id="next-feature">{ "Backlog empty." }</p>
                }
                <fieldset class="strategies">
                    <legend class="action-label">{ "Deploy strategy" }</legend>
                    { for Strategy::ALL.iter().map(|&s| {
                        let chosen = strategy.clone();
                        let id = format!("strategy-{}", s.id());
                        html! {
                            <div class="strategy">
                                <input type="radio" name="strategy" id={id.clone()} checked={*strategy == s}
                                    onchange={Callback::from(move |_| chosen.set(s))} />
                                <label for={id}>
                                    <span><strong>{ s.label() }</strong>{ format!(" · {}", minutes(timings.lead_ticks(s))) }</span>
                                    <span class="action-cost">{ strategy_blurb(s, timings.canary_share) }</span>
                                </label>
                            </div>
                        }
                    }) }
                </fieldset>
                <button id="action-ship" class="primary" disabled={refused(ship).is_some()} title={refused(ship)}
                    onclick={act(ship)}>
                    { format!("Ship it ({})", strategy.label().to_ascii_lowercase()) }</button>
                <p class="action-cost" id="ship-note">{ ship_note }</p>
                if frozen.is_some() || !requests.is_empty() {
                    { action_button(run, on_act, "action-ask-to-ship".into(), Action::AskToShip { strategy: *strategy }, None,
                        format!("Ask the SRE to ship it ({})", strategy.label().to_ascii_lowercase()).into()) }
                }
                if let Some(request) = requests.last() {
                    <p class="action-cost" id="freeze-request-status" aria-live="polite">{ match request.answer {
                        None => format!("Request #{} to ship \"{}\" is waiting for the SRE.", request.number, request.feature),
                        Some(answer) => format!("Request #{} to ship \"{}\": {} by the SRE {}.", request.number, request.feature,
                            answer.decision.label(), answer.reasons()),
                    } }</p>
                }
            </div>
            <div class="action">
                <span class="action-label">{ "Pipeline and live deploys" }</span>
                <ul id="deploys" class="deploys">
                    if live.is_empty() {
                        <li class="quiet">{ "Nothing shipped yet." }</li>
                    }
                    { for live.iter().map(|d| {
                        let name = delivery.feature_of(d)
                            .map_or_else(|| format!("hotfix of #{}", d.hotfix_of.unwrap_or(0)), |f| f.name.clone());
                        let left = d.stage_ends.saturating_sub(sim.tick());
                        let flag = Action::SetFlag { deploy: d.number, on: !d.flag_on };
                        let status = if d.stage.in_pipeline() || d.stage == Stage::RollingBack {
                            format!("{} · {} left · {} of traffic", d.stage.label(), minutes(left), percent(d.exposure, 0))
                        } else if d.strategy == Strategy::FeatureFlag {
                            format!("live, flag {}", if d.flag_on { "on" } else { "off (dark)" })
                        } else {
                            format!("live · {}", d.strategy.label().to_ascii_lowercase())
                        };
                        html! {
                            <li>
                                <span>{ format!("#{} {name}", d.number) }</span>
                                <span class="deploy-status">{ status }</span>
                                if d.strategy == Strategy::FeatureFlag && d.is_live() {
                                    { action_button(run, on_act, format!("flag-{}", d.number).into(), flag, Some(d.flag_on),
                                        (if d.flag_on { "Kill switch" } else { "Turn flag on" }).into()) }
                                }
                            </li>
                        }
                    }) }
                </ul>
                { action_button(run, on_act, "action-hotfix".into(), Action::Hotfix, None, "Hotfix newest deploy".into()) }
                <p class="action-cost">{ newest_live.map_or_else(
                    || "A hotfix repairs a live deploy; nothing is live.".to_string(),
                    |d| format!("Fixes deploy #{} through build and test ({}), no canary; costs a quarter of its feature's hours. Allowed in a freeze.", d.number, minutes(timings.build + timings.test))) }</p>
            </div>
            { action_items(&devops) }
            { investments(&devops) }
        </div>
    }
}
