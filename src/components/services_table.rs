//! Every service of the graph in the last tick: where the load goes, which one is busiest
//! (the bottleneck), where requests queue and fail.

use ops_dojo_engine::clock::TICK_SECONDS;
use ops_dojo_engine::latency::QuantileTable;
use yew::prelude::*;

use crate::format::count;
use crate::state::RunView;

/// Utilisation from which a service is near its limit: waits grow fast past it.
const WARN_UTILISATION: f64 = 0.75;
/// Utilisation from which a service is in trouble: queues build on every burst.
const BAD_UTILISATION: f64 = 0.9;

thread_local! {
    /// p99 from a service's latency (mean and variance): the table is filled once and kept.
    static P99: Option<QuantileTable<1>> = QuantileTable::new([0.99]);
}

#[derive(Properties, PartialEq)]
pub struct ServicesTableProps {
    pub run: RunView,
}

#[function_component(ServicesTable)]
pub fn services_table(props: &ServicesTableProps) -> Html {
    let sim = props.run.sim();
    let scenario = sim.scenario();
    let topology = scenario.topology();
    let ticks = sim.service_ticks();
    // The bottleneck: the busiest service, once it is near its limit.
    let busiest = ticks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.utilization >= WARN_UTILISATION)
        .max_by(|(_, a), (_, b)| a.utilization.total_cmp(&b.utilization))
        .map(|(i, _)| i);
    let rows = scenario
        .services
        .iter()
        .zip(sim.services())
        .enumerate()
        .map(|(i, (spec, state))| {
            let tick = ticks.get(i).copied().unwrap_or_default();
            let name = spec.name.get_ref();
            let calls: Vec<&str> = topology
                .callees(i)
                .iter()
                .filter_map(|&c| scenario.services.get(c))
                .map(|s| s.name.get_ref().as_str())
                .collect();
            let mut notes = Vec::new();
            if !calls.is_empty() {
                notes.push(format!("calls {}", calls.join(", ")));
            }
            if state.slowdown > 1.0 {
                notes.push(format!("{:.1}× slower", state.slowdown));
            }
            if state.load_shedding {
                notes.push("sheds load".to_string());
            }
            if let Some(limit) = state.rate_limit_rps {
                notes.push(format!("limit {limit:.0}/s"));
            }
            let starting: u32 = state.provisioning.iter().map(|(_, n)| n).sum();
            let utilisation = tick.utilization;
            let util_tone = if utilisation >= BAD_UTILISATION {
                Some("tone-bad")
            } else if utilisation >= WARN_UTILISATION {
                Some("tone-warn")
            } else {
                None
            };
            let failing = tick.failure_ratio;
            let fail_tone = if failing >= 0.01 {
                Some("tone-bad")
            } else if failing >= 0.001 {
                Some("tone-warn")
            } else {
                None
            };
            let p99 = if tick.arrivals > 0 {
                P99.with(|table| table.as_ref().map(|t| t.quantiles(&tick.latency)[0]))
                    .map_or_else(|| "—".to_string(), |s| format!("{:.0}", s * 1000.0))
            } else {
                "—".to_string()
            };
            let bottleneck = busiest == Some(i);
            let rps = tick.arrivals as f64 / f64::from(TICK_SECONDS);
            html! {
                <tr class={classes!(bottleneck.then_some("bottleneck"))}>
                    <th scope="row">
                        <span class="service-name">{ name }</span>
                        if i == topology.entry {
                            <span class="tag entry-tag">{ "entry" }</span>
                        }
                        if bottleneck {
                            <span class="tag bottleneck-tag">{ "bottleneck" }</span>
                        }
                        if !notes.is_empty() {
                            <span class="service-notes">{ notes.join(" · ") }</span>
                        }
                    </th>
                    <td class="num">
                        { state.replicas }
                        if state.lost_replicas > 0 {
                            <span class="replica-note tone-bad">{ format!(" −{} lost", state.lost_replicas) }</span>
                        }
                        if starting > 0 {
                            <span class="replica-note">{ format!(" +{starting} starting") }</span>
                        }
                    </td>
                    <td class="num">{ count(rps.round() as u64) }</td>
                    <td class="num">{ count(state.capacity_rps(spec).round() as u64) }</td>
                    <td class={classes!("num", "utilisation", util_tone)}>{ format!("{:.0}", utilisation * 100.0) }</td>
                    <td class="num">{ p99 }</td>
                    <td class={classes!("num", fail_tone)}>{ format!("{:.2}", failing * 100.0) }</td>
                    <td class="num">{ count(state.backlog.round() as u64) }</td>
                </tr>
            }
        });
    html! {
        <section class="services-panel" aria-labelledby="services-title">
            <h2 id="services-title">{ "Services" }</h2>
            <div class="services-scroll" tabindex="0" role="group" aria-labelledby="services-title">
                <table id="services-table" class="services">
                    <caption>
                        { "The last 10 simulated seconds of each service. Past 75 % busy, queues and waits grow fast: the busiest service is the bottleneck." }
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Service" }</th>
                            <th scope="col" class="num">{ "Replicas" }</th>
                            <th scope="col" class="num">{ "Requests/s" }</th>
                            <th scope="col" class="num">{ "Capacity/s" }</th>
                            <th scope="col" class="num">{ "Utilisation, %" }</th>
                            <th scope="col" class="num">{ "p99, ms" }</th>
                            <th scope="col" class="num">{ "Failing, %" }</th>
                            <th scope="col" class="num">{ "Queue, requests" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
