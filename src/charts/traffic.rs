//! Traffic against capacity: when arrivals outgrow what the replicas serve, requests fail.

use ops_dojo_engine::clock::{TICKS_PER_DAY, TICK_LABEL, TICK_SECONDS};
use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::axis::TickSpan;
use super::{
    columns, day_chart, describe, drawn, open, Column, Drawn, LegendEntry, ReadoutSeries, Unit,
    ValueAxis,
};
use crate::palette::{BLUE, VERMILLION};

/// Utilisation from which waits grow fast (the services table warns from it too). On one
/// worker a request spends its service time / (1 − utilisation) in the system: 4× at 75 %,
/// 10× at 90 %; more workers move that knee later, not away.
pub const BUSY: f64 = 0.75;

pub fn legend() -> Vec<LegendEntry> {
    vec![
        LegendEntry::solid(
            format!("requests/s arriving (busiest {TICK_LABEL} per column)"),
            BLUE,
        ),
        LegendEntry::solid(
            format!(
                "capacity, requests/s; shaded below it: {:.0}–100 % busy, waits grow fast",
                BUSY * 100.0
            ),
            VERMILLION,
        ),
    ]
}

/// Draws arrivals against capacity, with the band from 75 % to 100 % of capacity shaded.
///
/// Why a band rather than a second axis for utilisation: utilisation here is close to arrivals
/// over capacity, so a second line would repeat the two already drawn on another scale.
/// The band shows the lesson on the lines themselves: trouble starts when traffic enters
/// the shade, well before it crosses capacity, and it is there before traffic gets close,
/// so players see the headroom shrink rather than learn of it once waits have grown.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation, span: TickSpan) -> Result<Drawn, String> {
    let root = open(canvas)?;
    let per_second = |requests: u32| f64::from(requests) / f64::from(TICK_SECONDS);
    let width = canvas.width() as usize;
    let ticks = span.start..span.end;
    let offered = columns(sim.records(), ticks.clone(), TICKS_PER_DAY, width, |r| {
        per_second(r.offered)
    });
    let capacity = columns(sim.records(), ticks, TICKS_PER_DAY, width, |r| {
        per_second(r.capacity)
    });
    let highest = offered
        .iter()
        .map(|c| c.max)
        .chain(capacity.iter().map(|c| c.max))
        .fold(sim.capacity_rps(), f64::max);
    let top = (highest * 1.15 / 50.0).ceil() * 50.0;
    let mut chart = day_chart(&root, span, ValueAxis::linear(0.0..top), &|v| {
        format!("{v:.0}/s")
    })?;
    chart
        .draw_series(std::iter::once(Polygon::new(
            busy_band(&capacity),
            VERMILLION.mix(0.15).filled(),
        )))
        .map_err(describe)?;
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
    root.present().map_err(describe)?;
    let read = |label: &str, colour, columns: &[Column]| {
        ReadoutSeries::new(label, colour, Unit::RequestsPerSecond)
            .with_points(columns.iter().map(|c| (c.day, c.max)).collect())
    };
    let series = vec![
        read(&format!("arriving (busiest {TICK_LABEL})"), BLUE, &offered),
        read("capacity", VERMILLION, &capacity),
    ];
    Ok(drawn(&chart, canvas, sim, span, series))
}

/// The outline of the band between 75 % and 100 % of capacity: along capacity, then back
/// along its 75 %.
fn busy_band(capacity: &[Column]) -> Vec<(f64, f64)> {
    let top = capacity.iter().map(|c| (c.day, c.max));
    let bottom = capacity.iter().rev().map(|c| (c.day, c.max * BUSY));
    top.chain(bottom).collect()
}
