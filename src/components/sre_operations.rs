//! The SRE's levers on the live system: pick a service, scale it (by hand or with its
//! autoscaler), restart it, fail it over, warm its cache, and switch its protections (load
//! shedding, circuit breaker, rate limit); stop or allow retries everywhere. Each control
//! says what it costs and when it takes effect.

use ops_dojo_engine::action::MAX_REPLICAS;
use ops_dojo_engine::faults::FaultKind;
use ops_dojo_engine::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::action_button::action_button;
use crate::state::RunView;

/// Share of capacity a rate limit admits when switched on from here: enough headroom for
/// the queue to drain, the rest turned away at once.
const RATE_LIMIT_SHARE: f64 = 0.9;

/// `selected` is the service chosen on the panel (None: the entry); `on_act` takes an action
/// on the run.
pub fn sre_operations(
    run: &RunView,
    on_act: &Callback<Action>,
    selected: &UseStateHandle<Option<usize>>,
) -> Html {
    let sim = run.sim();
    let scenario = sim.scenario();
    let entry = scenario.topology().entry;
    let s = selected.unwrap_or(entry).min(scenario.services.len() - 1);
    let spec = &scenario.services[s];
    let live = &sim.services()[s];
    let finished = sim.is_finished();
    let index = u16::try_from(s).unwrap_or(u16::MAX);
    let act = |action: Action| on_act.reform(move |_: MouseEvent| action);
    // Greyed out exactly when the engine would refuse it, with its reason as the tooltip.
    let refused = |action: Action| run.refusal(action);
    let button = |id: &'static str, action: Action, pressed: Option<bool>, label: AttrValue| {
        action_button(run, on_act, id.into(), action, pressed, label)
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(i) = select.value().parse::<usize>() {
                    selected.set(Some(i));
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
    let scale_down = Action::ScaleTo {
        replicas: replicas.saturating_sub(1),
        service: Some(index),
    };
    let scale_up = Action::ScaleTo {
        replicas: replicas + 1,
        service: Some(index),
    };
    let toggle_autoscaler = Action::SetAutoscaler {
        service: index,
        target_percent: 60,
        max_replicas: if autoscaler.is_some() {
            0
        } else {
            autoscale_max
        },
    };
    let restart = Action::Restart { service: index };
    let fail_over = Action::FailOver { service: index };
    let warm_cache = Action::WarmCache { service: index };
    let toggle_shedding = Action::SetLoadShedding {
        service: index,
        on: !shedding,
    };
    let toggle_limit = Action::SetRateLimit {
        service: index,
        rps: if limit.is_some() { 0 } else { limit_rps },
    };
    let toggle_breaker = Action::SetCircuitBreaker {
        service: index,
        on: !breaker,
    };
    let toggle_retries = Action::SetRetries { on: !retries };
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
                        disabled={refused(scale_down).is_some()} title={refused(scale_down)}
                        onclick={act(scale_down)}>{ "−" }</button>
                    <output id="num-replicas" aria-live="polite">{ replicas }</output>
                    <button id="action-scale-up" aria-label={format!("Add a replica of {}", spec.name.get_ref())}
                        disabled={refused(scale_up).is_some()} title={refused(scale_up)}
                        onclick={act(scale_up)}>{ "+" }</button>
                </div>
                <p class="action-cost">{ format!(
                    "Each replica serves {:.0} requests/s; {} can serve {capacity:.0} requests/s now. Takes effect at once.",
                    spec.replica_capacity_rps(), spec.name.get_ref()) }</p>
            </div>
            <div class="action">
                { button("action-autoscaler", toggle_autoscaler, Some(autoscaler.is_some()), match &autoscaler {
                        Some(a) => format!("Autoscaler: on ({:.0} % target, {}–{} replicas)", a.target_utilization.0 * 100.0, a.min_replicas.0, a.max_replicas.0),
                        None => "Autoscaler: off".to_string(),
                    }.into()) }
                <p class="action-cost">{ if autoscaler.is_some() {
                    "Adds replicas when busier than its target (they serve after booting), removes them when idle. Press to switch it off.".to_string()
                } else {
                    format!("Press to let it keep {} about 60 % busy with 1–{autoscale_max} replicas; new replicas need about 2 minutes to boot.", spec.name.get_ref())
                } }</p>
            </div>
            <fieldset class="action runbook">
                <legend class="action-label">{ format!("Repair {}", spec.name.get_ref()) }</legend>
                { button("action-restart", restart, None, "Rolling restart".into()) }
                <p class="action-cost">{ "Ends memory leaks; each restarted replica comes back with a cold cache. 30 minutes of manual toil unless restarts are automated." }</p>
                { button("action-failover", fail_over, None, "Fail over the lost zone".into()) }
                <p class="action-cost">{ if zone_down {
                    "A zone is down: start its replicas in healthy zones. Serving again in 10 minutes (5 with runbooks)."
                } else {
                    "No zone is down for this service now."
                } }</p>
                if spec.cache.is_some() {
                    { button("action-warm-cache", warm_cache, None, "Warm the cache".into()) }
                    <p class="action-cost">{ format!("The cache is {} warm. Loading a snapshot makes it warm at once: 1 SRE hour.", crate::format::percent(warmth, 0)) }</p>
                }
            </fieldset>
            <fieldset class="action protections">
                <legend class="action-label">{ format!("Protect {}", spec.name.get_ref()) }</legend>
                { button("action-shedding", toggle_shedding, Some(shedding),
                    (if shedding { "Load shedding: on" } else { "Load shedding: off" }).into()) }
                <p class="action-cost">{ format!(
                    "Turns new requests away at once when more than {:.0} ms of work is queued: some fail fast so the rest stay fast.",
                    spec.protection.shed_wait_ms.0) }</p>
                { button("action-rate-limit", toggle_limit, Some(limit.is_some()), match limit {
                        Some(rps) => format!("Rate limit: {rps:.0} requests/s"),
                        None => "Rate limit: off".to_string(),
                    }.into()) }
                <p class="action-cost">{ if limit.is_some() {
                    "Admits at most that many requests a second and rejects the rest at once. Press to remove it.".to_string()
                } else {
                    format!("Press to admit at most {limit_rps} requests/s ({:.0} % of capacity), rejecting the rest at once.", RATE_LIMIT_SHARE * 100.0)
                } }</p>
                if s != entry {
                    { button("action-breaker", toggle_breaker, Some(breaker),
                        (if breaker { "Circuit breaker: on" } else { "Circuit breaker: off" }).into()) }
                    <p class="action-cost">{ format!(
                        "Callers stop calling {} while more than {:.0} % of calls fail, and try again after {:.0} s.",
                        spec.name.get_ref(), spec.protection.breaker_error_ratio.0 * 100.0, spec.protection.breaker_open_seconds.0) }</p>
                }
            </fieldset>
            <div class="action">
                { button("action-retries", toggle_retries, Some(retries),
                    (if retries { "Retries: on everywhere" } else { "Retries: off everywhere" }).into()) }
                <p class="action-cost">{ if retries {
                    "Clients and services retry failed calls (as the scenario sets). Switching them off ends a retry storm, but every failure then reaches the user."
                } else {
                    "Nobody retries: no extra load, but no second chances either."
                } }</p>
            </div>
        </>
    }
}
