//! Availability SLI against the SLO target: is the service keeping its promise right now?

use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{columns, day_chart, describe, finish, legend_line, open, BLUE, SKY, VERMILLION};

/// Draws the per-tick availability SLI (column mean, and column minimum so brief outages
/// show) with the SLO target as a dashed line.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation) -> Result<(), String> {
    let root = open(canvas)?;
    let scenario = sim.scenario();
    let target = scenario.slo.target.0 * 100.0;
    // Zoom on the interesting band: nine budgets below the target up to 100 %; anything
    // lower is drawn on the bottom edge (the caption says so).
    let floor = lowest_shown(scenario.slo.target.0) * 100.0;
    let days = f64::from(scenario.days.0);
    let cols = columns(
        sim.records(),
        scenario.run_ticks(),
        canvas.width() as usize,
        |r| r.sli() * 100.0,
    );
    let mut chart = day_chart(&root, scenario.days.0, floor..100.0, &|v| {
        format!("{v:.2} %")
    })?;
    let clamp = |v: f64| v.max(floor);
    chart
        .draw_series(LineSeries::new(
            cols.iter().map(|c| (c.day, clamp(c.min))),
            SKY.stroke_width(1),
        ))
        .map_err(describe)?
        .label("worst 10 s")
        .legend(legend_line(SKY, 2));
    chart
        .draw_series(LineSeries::new(
            cols.iter().map(|c| (c.day, clamp(c.mean))),
            BLUE.stroke_width(2),
        ))
        .map_err(describe)?
        .label("availability SLI")
        .legend(legend_line(BLUE, 3));
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, target), (days, target)],
            8,
            5,
            VERMILLION.stroke_width(2),
        ))
        .map_err(describe)?
        .label(format!("SLO target {target:.2} %"))
        .legend(legend_line(VERMILLION, 2));
    finish(chart, &root)
}

/// Lowest SLI the chart shows, as a share: nine error budgets below the target.
pub fn lowest_shown(target: f64) -> f64 {
    (target - 9.0 * (1.0 - target)).max(0.0)
}
