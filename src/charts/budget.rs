//! Error budget remaining over the rolling SLO window: how much room is left to fail.

use ops_dojo_engine::clock::{TICKS_PER_DAY, TICK_SECONDS};
use ops_dojo_engine::slo::BurnWindow;
use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::axis::{day_of, TickSpan};
use super::{
    columns, day_chart, describe, drawn, open, threshold, Drawn, LegendEntry, ReadoutSeries, Unit,
    ValueAxis,
};
use crate::palette::{ORANGE, VERMILLION};

const SECONDS_PER_DAY: f64 = (TICKS_PER_DAY * TICK_SECONDS) as f64;

/// The series, in drawing order, as the legend names them (the projection only while it is
/// drawn).
pub fn legend(sim: &Simulation, span: TickSpan) -> Vec<LegendEntry> {
    let mut entries = vec![LegendEntry::solid("error budget left", ORANGE)];
    if projection(sim, span).is_some() {
        entries.push(LegendEntry::dashed(
            "projected at the last hour's burn rate",
            ORANGE,
        ));
    }
    entries.push(LegendEntry::dashed(
        "0 %: budget spent, SLO missed",
        VERMILLION,
    ));
    entries
}

/// Draws the budget left (share of the whole budget, %) with the zero line: below it the
/// SLO is missed over its window. From the last tick a dashed line carries the budget on at
/// the last hour's burn rate, to where it would run out (or the end of the run).
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation, span: TickSpan) -> Result<Drawn, String> {
    let root = open(canvas)?;
    let cols = columns(
        sim.records(),
        span.start..span.end,
        TICKS_PER_DAY,
        canvas.width() as usize,
        |r| f64::from(r.budget_remaining) * 100.0,
    );
    let lowest = cols.iter().map(|c| c.min).fold(0.0_f64, f64::min);
    // Keep room below zero so an overspent budget shows, in steps of 50 %.
    let bottom = ((lowest / 50.0).floor() * 50.0).min(-25.0);
    let mut chart = day_chart(&root, span, ValueAxis::linear(bottom..100.0), &|v| {
        format!("{v:.0} %")
    })?;
    chart
        .draw_series(
            AreaSeries::new(cols.iter().map(|c| (c.day, c.min)), 0.0, ORANGE.mix(0.25))
                .border_style(ORANGE.stroke_width(2)),
        )
        .map_err(describe)?;
    if let Some(points) = projection(sim, span) {
        chart
            .draw_series(DashedLineSeries::new(points, 4, 4, ORANGE.stroke_width(2)))
            .map_err(describe)?;
    }
    threshold(&mut chart, 0.0, VERMILLION)?;
    root.present().map_err(describe)?;
    let left = ReadoutSeries::new("error budget left", ORANGE, Unit::Percent(1))
        .with_points(cols.iter().map(|c| (c.day, c.min)).collect());
    Ok(drawn(&chart, canvas, sim, span, vec![left]))
}

/// The budget carried on from the last simulated tick at the last hour's burn rate, as the
/// two ends of a straight line (day, %): it stops where the budget runs out, or at the end
/// of the span shown if it lasts longer. None before the first tick, after the last one,
/// once the budget is spent (there is nothing left to run out), and when the span shown
/// ends now (there is no future on it to project into).
///
/// At burn rate b the whole budget lasts one SLO window / b, so it falls 100 b % per window.
/// The line ignores failures that will leave the rolling window meanwhile and hand budget
/// back, so it is pessimistic, and stops after one window: by then every failure counted
/// now has left, and a budget still there at the end of the line never runs out at this rate.
fn projection(sim: &Simulation, span: TickSpan) -> Option<[(f64, f64); 2]> {
    let status = sim.slo_status();
    let days = day_of(span.end);
    let now = day_of(sim.tick());
    if sim.tick() == 0 || now >= days || status.budget_remaining <= 0.0 {
        return None;
    }
    let hourly = status.burn_rate(BurnWindow::ONE_HOUR);
    let left = status.budget_remaining * 100.0;
    let per_day = 100.0 * hourly / f64::from(status.window_days);
    // The engine's own time to exhaustion, so the line ends where the summary says.
    let end = status
        .time_to_exhaustion_seconds
        .map_or(days, |seconds| now + seconds / SECONDS_PER_DAY)
        .min(now + f64::from(status.window_days))
        .min(days);
    Some([(now, left), (end, (left - per_day * (end - now)).max(0.0))])
}
