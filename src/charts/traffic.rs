//! Traffic against capacity: when arrivals outgrow what the replicas serve, requests fail.

use ops_dojo_engine::clock::{TICKS_PER_DAY, TICK_SECONDS};
use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{columns, day_chart, describe, open, LegendEntry, BLUE, VERMILLION};

pub fn legend() -> Vec<LegendEntry> {
    vec![
        LegendEntry::solid("requests/s arriving (busiest 10 s per column)", BLUE),
        LegendEntry::solid("capacity, requests/s", VERMILLION),
    ]
}

pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation) -> Result<(), String> {
    let root = open(canvas)?;
    let scenario = sim.scenario();
    let per_second = |requests: u32| f64::from(requests) / f64::from(TICK_SECONDS);
    let width = canvas.width() as usize;
    let run = scenario.run_ticks();
    let offered = columns(sim.records(), run, TICKS_PER_DAY, width, |r| {
        per_second(r.offered)
    });
    let capacity = columns(sim.records(), run, TICKS_PER_DAY, width, |r| {
        per_second(r.capacity)
    });
    let highest = offered
        .iter()
        .map(|c| c.max)
        .chain(capacity.iter().map(|c| c.max))
        .fold(sim.capacity_rps(), f64::max);
    let top = (highest * 1.15 / 50.0).ceil() * 50.0;
    let mut chart = day_chart(&root, scenario.days.0, 0.0..top, &|v| format!("{v:.0}/s"))?;
    chart
        .draw_series(LineSeries::new(
            offered.iter().map(|c| (c.day, c.max)),
            BLUE.stroke_width(2),
        ))
        .map_err(describe)?;
    chart
        .draw_series(LineSeries::new(
            capacity.iter().map(|c| (c.day, c.max)),
            VERMILLION.stroke_width(2),
        ))
        .map_err(describe)?;
    root.present().map_err(describe)
}
