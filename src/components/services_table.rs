//! Every service of the graph in the last tick: where the load goes, which one is busiest
//! (the bottleneck), where requests queue and fail.

use ops_dojo_engine::clock::TICK_SECONDS;
use ops_dojo_engine::latency::QuantileTable;
use ops_dojo_engine::Simulation;
use yew::prelude::*;

use crate::format::count;
use crate::state::RunView;

/// Utilisation from which a service is near its limit: waits grow fast past it.
pub const WARN_UTILISATION: f64 = 0.75;
/// Utilisation from which a service is in trouble: queues build on every burst.
pub const BAD_UTILISATION: f64 = 0.9;

thread_local! {
    /// p99 from a service's latency (mean and variance): the table is filled once and kept.
    static P99: Option<QuantileTable<1>> = QuantileTable::new([0.99]);
}

/// One service's numbers in the last tick, as the table (and the service map's details)
/// show them.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub name: String,
    pub entry: bool,
    /// Busiest service, once it is near its limit.
    pub bottleneck: bool,
    /// What is special about it now: whom it calls, slowdowns, protections.
    pub notes: Vec<String>,
    pub replicas: u32,
    /// Replicas a fault took away, and replicas still starting.
    pub lost_replicas: u32,
    pub starting_replicas: u32,
    /// Requests per second arriving, and what its replicas can serve.
    pub requests_per_second: f64,
    pub capacity_per_second: f64,
    /// Share of its workers' time spent serving, 0–1.
    pub utilisation: f64,
    /// 99th percentile latency, milliseconds (None without requests).
    pub p99_ms: Option<f64>,
    /// Share of its requests that failed, 0–1.
    pub failing: f64,
    /// Requests waiting in its queue.
    pub queue: f64,
}

impl ServiceRow {
    /// "tone-bad"/"tone-warn" for the utilisation, as the table colours it.
    pub fn utilisation_tone(&self) -> Option<&'static str> {
        if self.utilisation >= BAD_UTILISATION {
            Some("tone-bad")
        } else if self.utilisation >= WARN_UTILISATION {
            Some("tone-warn")
        } else {
            None
        }
    }

    /// "tone-bad"/"tone-warn" for the failing share.
    pub fn failing_tone(&self) -> Option<&'static str> {
        if self.failing >= 0.01 {
            Some("tone-bad")
        } else if self.failing >= 0.001 {
            Some("tone-warn")
        } else {
            None
        }
    }
}

/// Every service's row, in scenario order.
pub fn service_rows(sim: &Simulation) -> Vec<ServiceRow> {
    let scenario = sim.scenario();
    let topology = scenario.topology();
    let ticks = sim.service_ticks();
    // The bottleneck: the busiest service, once it is near its limit.
    let busiest = sim
        .busiest_service()
        .filter(|&i| ticks[i].utilization >= WARN_UTILISATION);
    scenario
        .services
        .iter()
        .zip(sim.services())
        .enumerate()
        .map(|(i, (spec, state))| {
            let tick = ticks.get(i).copied().unwrap_or_default();
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
            let p99_ms = (tick.arrivals > 0)
                .then(|| P99.with(|table| table.as_ref().map(|t| t.quantiles(&tick.latency)[0])))
                .flatten()
                .map(|seconds| seconds * 1000.0);
            ServiceRow {
                name: spec.name.get_ref().clone(),
                entry: i == topology.entry,
                bottleneck: busiest == Some(i),
                notes,
                replicas: state.replicas,
                lost_replicas: state.lost_replicas,
                starting_replicas: state.provisioning.iter().map(|(_, n)| n).sum(),
                requests_per_second: tick.arrivals as f64 / f64::from(TICK_SECONDS),
                capacity_per_second: state.capacity_rps(spec),
                utilisation: tick.utilization,
                p99_ms,
                failing: tick.failure_ratio,
                queue: state.backlog,
            }
        })
        .collect()
}

pub fn services_table(run: &RunView) -> Html {
    let sim = run.sim();
    let rows = service_rows(&sim).into_iter().map(|row| {
        html! {
            <tr class={classes!(row.bottleneck.then_some("bottleneck"))}>
                <th scope="row">
                    <span class="service-name">{ &row.name }</span>
                    if row.entry {
                        <span class="tag entry-tag">{ "entry" }</span>
                    }
                    if row.bottleneck {
                        <span class="tag bottleneck-tag">{ "bottleneck" }</span>
                    }
                    if !row.notes.is_empty() {
                        <span class="service-notes">{ row.notes.join(" · ") }</span>
                    }
                </th>
                <td class="num">
                    { row.replicas }
                    if row.lost_replicas > 0 {
                        <span class="replica-note tone-bad">{ format!(" −{} lost", row.lost_replicas) }</span>
                    }
                    if row.starting_replicas > 0 {
                        <span class="replica-note">{ format!(" +{} starting", row.starting_replicas) }</span>
                    }
                </td>
                <td class="num">{ count(row.requests_per_second.round() as u64) }</td>
                <td class="num">{ count(row.capacity_per_second.round() as u64) }</td>
                <td class={classes!("num", "utilisation", row.utilisation_tone())}>{ format!("{:.0}", row.utilisation * 100.0) }</td>
                <td class="num">{ row.p99_ms.map_or_else(|| "—".to_string(), |ms| format!("{ms:.0}")) }</td>
                <td class={classes!("num", row.failing_tone())}>{ format!("{:.2}", row.failing * 100.0) }</td>
                <td class="num">{ count(row.queue.round() as u64) }</td>
            </tr>
        }
    });
    html! {
        <section class="services-panel" aria-labelledby="services-title">
            <h2 id="services-title">{ "Services" }</h2>
            <div class="services-scroll" tabindex="0" role="group" aria-labelledby="services-title">
                <table id="services-table" class="services">
                    <caption>
                        { format!("The last {TICK_SECONDS} simulated seconds of each service. Past 75 % busy, queues and waits grow fast: the busiest service is the bottleneck.") }
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
