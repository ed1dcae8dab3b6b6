//! The SRE's levers on the live system: pick a service, scale it (by hand or with its
//! autoscaler), restart it, fail it over, warm its cache, and switch its protections (load
//! shedding, circuit breaker, rate limit); stop or allow retries everywhere. Each control
//! says what it costs and when it takes effect.

use ops_dojo_engine::action::MAX_REPLICAS;
use ops_dojo_engine::faults::FaultKind;
use ops_dojo_engine::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{PlayAction, PlayState};

#[derive(Properties, PartialEq)]
pub struct SreOperationsProps {
    pub state: UseReducerHandle<PlayState>,
}

/// Share of capacity a rate limit admits when switched on from here: enough headroom for
/// the queue to drain, the rest turned away at once.
const RATE_LIMIT_SHARE: f64 = 0.9;

#[function_component(SreOperations)]
pub fn sre_operations(props: &SreOperationsProps) -> Html {
    let state = &props.state;
    let sim = state.sim.borrow();
    let scenario = sim.scenario();
    let entry = scenario.topology().entry;
    let selected = use_state(|| entry);
    let s = (*selected).min(scenario.services.len() - 1);
    let spec = &scenario.services[s];
    let live = &sim.services()[s];
    let finished = sim.is_finished();
    let index = u16::try_from(s).unwrap_or(u16::MAX);
    let act = |action: Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(PlayAction::Act(action)))
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(i) = select.value().parse::<usize>() {
                    selected.set(i);
                }
            }
        })
    };
    let replicas = live.replicas;
    let capacity = live.capacity_rps(spec);
    let shedding = live.load_shedding;
    let breaker = sim.breakers_enabled()[s];
    let retries = sim.retries_enabled();
    let limit = live.rate_limit_rps;
    let limit_rps = (capacity * RATE_LIMIT_SHARE).round().max(1.0) as u32;
    let several = scenario.services.len() > 1;
    let autoscaler = sim.autoscalers()[s].clone();
    // Switching on from here: aim at 60 % busy, up to three times today's replicas.
    let autoscale_max = (replicas * 3).clamp(2, MAX_REPLICAS);
    let zone_down = sim
        .active_faults()
        .any(|f| f.kind == FaultKind::ZoneLoss && f.service == Some(s));
    let warmth = sim.cache_warmth()[s];
    html! {
        <>
            if several {
                <div class="action">
                    <label class="action-label" for="action-service">{ "Service" }</label>
                    <select id="action-service" onchange={on_select} disabled={finished}>
                        { for scenario.services.iter().enumerate().map(|(i, svc)| {
                            let name = svc.name.get_ref();
                            let label = if i == entry { format!("{name} (users call it)") } else { name.clone() };
                            html! { <option value={i.to_string()} selected={i == s}>{ label }</option> }
                        }) }
                    </select>
                </div>
            }
            <div class="action">
                <span class="action-label">{ "Replicas" }</span>
                <div class="stepper">
                    <button id="action-scale-down" aria-label={format!("Remove a replica of {}", spec.name.get_ref())}
                        disabled={finished || replicas <= 1}
                        onclick={act(Action::ScaleTo { replicas: replicas.saturating_sub(1), service: Some(index) })}>{ "−" }</button>
                    <output id="num-replicas" aria-live="polite">{ replicas }</output>
                    <button id="action-scale-up" aria-label={format!("Add a replica of {}", spec.name.get_ref())}
                        disabled={finished || replicas >= MAX_REPLICAS}
                        onclick={act(Action::ScaleTo { replicas: replicas + 1, service: Some(index) })}>{ "+" }</button>
                </div>
                <p class="action-cost">{ format!(
                    "Each replica serves {:.0} requests/s; {} can serve {capacity:.0} requests/s now. Takes effect at once.",
                    spec.replica_capacity_rps(), spec.name.get_ref()) }</p>
            </div>
            <div class="action">
                <button id="action-autoscaler" class="toggle" aria-pressed={autoscaler.is_some().to_string()} disabled={finished}
                    onclick={act(Action::SetAutoscaler { service: index, target_percent: 60, max_replicas: if autoscaler.is_some() { 0 } else { autoscale_max } })}>
                    { match &autoscaler {
                        Some(a) => format!("Autoscaler: on ({:.0} % target, {}–{} replicas)", a.target_utilization.0 * 100.0, a.min_replicas.0, a.max_replicas.0),
                        None => "Autoscaler: off".to_string(),
                    } }</button>
                <p class="action-cost">{ if autoscaler.is_some() {
                    "Adds replicas when busier than its target (they serve after booting), removes them when idle. Press to switch it off.".to_string()
                } else {
                    format!("Press to let it keep {} about 60 % busy with 1–{autoscale_max} replicas; new replicas need about 2 minutes to boot.", spec.name.get_ref())
                } }</p>
            </div>
            <fieldset class="action runbook">
                <legend class="action-label">{ format!("Repair {}", spec.name.get_ref()) }</legend>
                <button id="action-restart" disabled={finished} onclick={act(Action::Restart { service: index })}>{ "Rolling restart" }</button>
                <p class="action-cost">{ "Ends memory leaks; each restarted replica comes back with a cold cache. 30 minutes of manual toil unless restarts are automated." }</p>
                <button id="action-failover" disabled={finished || !zone_down} onclick={act(Action::FailOver { service: index })}>{ "Fail over the lost zone" }</button>
                <p class="action-cost">{ if zone_down {
                    "A zone is down: start its replicas in healthy zones. Serving again in 10 minutes (5 with runbooks)."
                } else {
                    "No zone is down for this service now."
                } }</p>
                if spec.cache.is_some() {
                    <button id="action-warm-cache" disabled={finished || warmth > 0.95} onclick={act(Action::WarmCache { service: index })}>{ "Warm the cache" }</button>
                    <p class="action-cost">{ format!("The cache is {} warm. Loading a snapshot makes it warm at once: 1 SRE hour.", crate::format::percent(warmth, 0)) }</p>
                }
            </fieldset>
            <fieldset class="action protections">
                <legend class="action-label">{ format!("Protect {}", spec.name.get_ref()) }</legend>
                <button id="action-shedding" class="toggle" aria-pressed={shedding.to_string()} disabled={finished}
                    onclick={act(Action::SetLoadShedding { service: index, on: !shedding })}>
                    { if shedding { "Load shedding: on" } else { "Load shedding: off" } }</button>
                <p class="action-cost">{ format!(
                    "Turns new requests away at once when more than {:.0} ms of work is queued: some fail fast so the rest stay fast.",
                    spec.protection.shed_wait_ms.0) }</p>
                <button id="action-rate-limit" class="toggle" aria-pressed={limit.is_some().to_string()} disabled={finished}
                    onclick={act(Action::SetRateLimit { service: index, rps: if limit.is_some() { 0 } else { limit_rps } })}>
                    { match limit {
                        Some(rps) => format!("Rate limit: {rps:.0} requests/s"),
                        None => "Rate limit: off".to_string(),
                    } }</button>
                <p class="action-cost">{ if limit.is_some() {
                    "Admits at most that many requests a second and rejects the rest at once. Press to remove it.".to_string()
                } else {
                    format!("Press to admit at most {limit_rps} requests/s ({:.0} % of capacity), rejecting the rest at once.", RATE_LIMIT_SHARE * 100.0)
                } }</p>
                if s != entry {
                    <button id="action-breaker" class="toggle" aria-pressed={breaker.to_string()} disabled={finished}
                        onclick={act(Action::SetCircuitBreaker { service: index, on: !breaker })}>
                        { if breaker { "Circuit breaker: on" } else { "Circuit breaker: off" } }</button>
                    <p class="action-cost">{ format!(
                        "Callers stop calling {} while more than {:.0} % of calls fail, and try again after {:.0} s.",
                        spec.name.get_ref(), spec.protection.breaker_error_ratio.0 * 100.0, spec.protection.breaker_open_seconds.0) }</p>
                }
            </fieldset>
            <div class="action">
                <button id="action-retries" class="toggle" aria-pressed={retries.to_string()} disabled={finished}
                    onclick={act(Action::SetRetries { on: !retries })}>
                    { if retries { "Retries: on everywhere" } else { "Retries: off everywhere" } }</button>
                <p class="action-cost">{ if retries {
                    "Clients and services retry failed calls (as the scenario sets). Switching them off ends a retry storm, but every failure then reaches the user."
                } else {
                    "Nobody retries: no extra load, but no second chances either."
                } }</p>
            </div>
        </>
    }
}
