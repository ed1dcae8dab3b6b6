//! The service graph at a glance: each service a node showing its health (in words and an
//! icon, not colour alone), how busy it is and its replicas, with arrows to the services it
//! calls. Selecting a node (click, Enter or Space) shows its numbers — the very numbers of
//! the services table, from the same function.

use ops_dojo_engine::scenario::Topology;
use yew::prelude::*;

use crate::components::services_table::{
    service_rows, ServiceRow, BAD_UTILISATION, WARN_UTILISATION,
};
use crate::format::count;
use crate::state::RunView;

/// Node size and the gaps between layers and rows, viewBox units.
const NODE_WIDTH: f64 = 172.0;
const NODE_HEIGHT: f64 = 62.0;
const LAYER_GAP: f64 = 56.0;
const ROW_GAP: f64 = 14.0;
const PAD: f64 = 6.0;

/// A service's state in one word, with an icon so it never rests on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Healthy,
    Busy,
    Overloaded,
    Failing,
}

impl Health {
    fn of(row: &ServiceRow) -> Self {
        if row.failing >= 0.01 {
            Health::Failing
        } else if row.utilisation >= BAD_UTILISATION {
            Health::Overloaded
        } else if row.utilisation >= WARN_UTILISATION {
            Health::Busy
        } else {
            Health::Healthy
        }
    }

    fn word(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Busy => "busy",
            Health::Overloaded => "overloaded",
            Health::Failing => "failing",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Health::Healthy => "✓",
            Health::Busy => "!",
            Health::Overloaded => "‼",
            Health::Failing => "✕",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Health::Healthy => "health-ok",
            Health::Busy => "health-warn",
            Health::Overloaded | Health::Failing => "health-bad",
        }
    }
}

/// Where each service sits: its layer (calls from the entry) and its row in that layer.
fn layout(topology: &Topology, services: usize) -> Vec<(usize, usize)> {
    let mut layer = vec![usize::MAX; services];
    // `order` lists every service after all of its callers: a service's layer is one past
    // its deepest caller's, so arrows always point right.
    if let Some(entry) = layer.get_mut(topology.entry) {
        *entry = 0;
    }
    for &s in &topology.order {
        let here = if layer[s] == usize::MAX { 0 } else { layer[s] };
        layer[s] = here;
        for &callee in topology.callees(s) {
            if callee < services {
                layer[callee] = if layer[callee] == usize::MAX {
                    here + 1
                } else {
                    layer[callee].max(here + 1)
                };
            }
        }
    }
    let mut rows_used = Vec::new();
    layer
        .iter()
        .map(|&l| {
            let l = if l == usize::MAX { 0 } else { l };
            if rows_used.len() <= l {
                rows_used.resize(l + 1, 0);
            }
            rows_used[l] += 1;
            (l, rows_used[l] - 1)
        })
        .collect()
}

/// Top-left corner of a node, viewBox units.
fn corner((layer, row): (usize, usize)) -> (f64, f64) {
    (
        PAD + layer as f64 * (NODE_WIDTH + LAYER_GAP),
        PAD + row as f64 * (NODE_HEIGHT + ROW_GAP),
    )
}

/// `selected` is the service whose details are open, if any.
pub fn service_map(run: &RunView, selected: &UseStateHandle<Option<usize>>) -> Html {
    let selected = selected.clone();
    let sim = run.sim();
    let topology = sim.scenario().topology();
    let rows = service_rows(&sim);
    let places = layout(topology, rows.len());
    let layers = places.iter().map(|p| p.0 + 1).max().unwrap_or(1);
    let most_rows = places.iter().map(|p| p.1 + 1).max().unwrap_or(1);
    let width = 2.0 * PAD + layers as f64 * NODE_WIDTH + (layers - 1) as f64 * LAYER_GAP;
    let height = 2.0 * PAD + most_rows as f64 * NODE_HEIGHT + (most_rows - 1) as f64 * ROW_GAP;
    let edges = (0..rows.len()).flat_map(|s| {
        topology
            .callees(s)
            .iter()
            .filter(|&&c| c < rows.len())
            .map(move |&c| (s, c))
    });
    let choose = |i: usize| {
        let selected = selected.clone();
        move || selected.set(if *selected == Some(i) { None } else { Some(i) })
    };
    html! {
        <section class="service-map" aria-labelledby="map-title">
            <h2 id="map-title">{ "Service map" }</h2>
            <svg id="service-map" viewBox={format!("0 0 {width:.0} {height:.0}")} role="group"
                aria-label="Services and the calls between them; select one for its numbers">
                <defs>
                    <marker id="map-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="map-arrow" />
                    </marker>
                </defs>
                { for edges.map(|(from, to)| {
                    let (x1, y1) = corner(places[from]);
                    let (x2, y2) = corner(places[to]);
                    html! {
                        <line class="map-edge" x1={format!("{:.1}", x1 + NODE_WIDTH)} y1={format!("{:.1}", y1 + NODE_HEIGHT / 2.0)}
                            x2={format!("{:.1}", x2 - 2.0)} y2={format!("{:.1}", y2 + NODE_HEIGHT / 2.0)}
                            marker-end="url(#map-arrow)" />
                    }
                }) }
                { for rows.iter().enumerate().map(|(i, row)| {
                    let (x, y) = corner(places[i]);
                    let health = Health::of(row);
                    let is_selected = *selected == Some(i);
                    let on_click = { let choose = choose(i); Callback::from(move |_: MouseEvent| choose()) };
                    let on_key = {
                        let choose = choose(i);
                        Callback::from(move |e: KeyboardEvent| {
                            if e.key() == "Enter" || e.key() == " " {
                                e.prevent_default();
                                choose();
                            }
                        })
                    };
                    let busy = format!("{:.0} % busy", row.utilisation * 100.0);
                    let replicas = format!("{} replica{}", row.replicas, if row.replicas == 1 { "" } else { "s" });
                    html! {
                        <g class={classes!("map-node", health.class(), is_selected.then_some("selected"))}
                            data-service={row.name.clone()} tabindex="0" role="button"
                            aria-pressed={is_selected.to_string()}
                            onclick={on_click} onkeydown={on_key}>
                            <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={NODE_WIDTH.to_string()}
                                height={NODE_HEIGHT.to_string()} rx="8" />
                            <text x={format!("{:.1}", x + 10.0)} y={format!("{:.1}", y + 19.0)} class="map-name">
                                { &row.name }{ if row.entry { " (entry)" } else { "" } }
                            </text>
                            <text x={format!("{:.1}", x + 10.0)} y={format!("{:.1}", y + 37.0)} class="map-health">
                                // The node's name for screen readers is its text: the icon
                                // only repeats the word beside it.
                                <tspan aria-hidden="true">{ format!("{} ", health.icon()) }</tspan>
                                { format!("{} · {busy}", health.word()) }
                            </text>
                            <text x={format!("{:.1}", x + 10.0)} y={format!("{:.1}", y + 54.0)} class="map-replicas">
                                { replicas }
                            </text>
                        </g>
                    }
                }) }
            </svg>
            { details((*selected).and_then(|i| rows.get(i))) }
        </section>
    }
}

/// The selected service's numbers, as the services table gives them.
fn details(row: Option<&ServiceRow>) -> Html {
    let Some(row) = row else {
        return html! {
            <p id="service-details" class="hint">{ "Select a service (click, or Tab to it and press Enter) for its numbers." }</p>
        };
    };
    let mut replicas = row.replicas.to_string();
    if row.lost_replicas > 0 {
        replicas += &format!(", {} lost", row.lost_replicas);
    }
    if row.starting_replicas > 0 {
        replicas += &format!(", {} starting", row.starting_replicas);
    }
    let items = [
        ("Replicas", replicas),
        ("Requests/s", count(row.requests_per_second.round() as u64)),
        ("Capacity/s", count(row.capacity_per_second.round() as u64)),
        ("Utilisation", format!("{:.0} %", row.utilisation * 100.0)),
        (
            "p99",
            row.p99_ms
                .map_or_else(|| "—".to_string(), |ms| format!("{ms:.0} ms")),
        ),
        ("Failing", format!("{:.2} %", row.failing * 100.0)),
        (
            "Queue",
            format!("{} requests", count(row.queue.round() as u64)),
        ),
    ];
    html! {
        <div id="service-details" class="service-details" aria-live="polite">
            <h3>{ &row.name }{ if row.bottleneck { " — the bottleneck" } else { "" } }</h3>
            <dl>
                { for items.into_iter().map(|(term, value)| html! {
                    <div><dt>{ term }</dt><dd>{ value }</dd></div>
                }) }
            </dl>
            if !row.notes.is_empty() {
                <p class="service-notes">{ row.notes.join(" · ") }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;

    #[test]
    fn the_shop_is_laid_out_by_calls_from_the_entry() {
        let scenario = catalog::load("black-friday")
            .expect("a built-in scenario")
            .expect("built-in scenarios parse");
        let names: Vec<&str> = scenario
            .services
            .iter()
            .map(|s| s.name.get_ref().as_str())
            .collect();
        let places = layout(scenario.topology(), names.len());
        let layer = |name: &str| places[names.iter().position(|n| *n == name).expect(name)].0;
        assert_eq!(layer("web"), 0);
        assert_eq!((layer("catalog"), layer("cart")), (1, 1));
        assert_eq!(
            (layer("catalog-db"), layer("inventory"), layer("payments")),
            (2, 2, 2)
        );
        // No two services share a place.
        for (i, a) in places.iter().enumerate() {
            assert!(places[i + 1..].iter().all(|b| a != b), "{places:?}");
        }
    }
}
