//! Error budget remaining over the rolling SLO window: how much room is left to fail.

use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{columns, day_chart, describe, finish, legend_line, open, ORANGE, VERMILLION};

/// Draws the budget left (share of the whole budget, %) with the zero line: below it the
/// SLO is missed over its window.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation) -> Result<(), String> {
    let root = open(canvas)?;
    let scenario = sim.scenario();
    let days = f64::from(scenario.days.0);
    let cols = columns(
        sim.records(),
        scenario.run_ticks(),
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
        .map_err(describe)?
        .label("error budget left")
        .legend(legend_line(ORANGE, 3));
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (days, 0.0)],
            8,
            5,
            VERMILLION.stroke_width(2),
        ))
        .map_err(describe)?
        .label("budget spent: SLO missed")
        .legend(legend_line(VERMILLION, 2));
    finish(chart, &root)
}
