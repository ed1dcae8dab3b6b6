//! Error budget remaining over the rolling SLO window: how much room is left to fail.

use ops_dojo_engine::clock::TICKS_PER_DAY;
use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{columns, day_chart, describe, open, threshold, LegendEntry, ORANGE, VERMILLION};

/// The series, in drawing order, as the legend names them.
pub fn legend() -> Vec<LegendEntry> {
    vec![
        LegendEntry::solid("error budget left", ORANGE),
        LegendEntry::dashed("0 %: budget spent, SLO missed", VERMILLION),
    ]
}

/// Draws the budget left (share of the whole budget, %) with the zero line: below it the
/// SLO is missed over its window.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation) -> Result<(), String> {
    let root = open(canvas)?;
    let scenario = sim.scenario();
    let days = f64::from(scenario.days.0);
    let cols = columns(
        sim.records(),
        scenario.run_ticks(),
        TICKS_PER_DAY,
        canvas.width() as usize,
        |r| f64::from(r.budget_remaining) * 100.0,
    );
    let lowest = cols.iter().map(|c| c.min).fold(0.0_f64, f64::min);
    // Keep room below zero so an overspent budget shows, in steps of 50 %.
    let bottom = ((lowest / 50.0).floor() * 50.0).min(-25.0);
    let mut chart = day_chart(&root, scenario.days.0, bottom..100.0, &|v| {
        format!("{v:.0} %")
    })?;
    chart
        .draw_series(
            AreaSeries::new(cols.iter().map(|c| (c.day, c.min)), 0.0, ORANGE.mix(0.25))
                .border_style(ORANGE.stroke_width(2)),
        )
        .map_err(describe)?;
    threshold(&mut chart, days, 0.0, VERMILLION)?;
    root.present().map_err(describe)
}
