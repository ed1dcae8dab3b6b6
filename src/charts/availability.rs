//! Availability SLI against the SLO target: is the service keeping its promise right now?

use ops_dojo_engine::clock::{TICKS_PER_DAY, TICKS_PER_MINUTE};
use ops_dojo_engine::{Simulation, TickRecord};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::axis::TickSpan;
use super::{
    columns, day_chart, describe, drawn, open, threshold, Drawn, LegendEntry, ReadoutSeries, Unit,
    ValueAxis,
};
use crate::palette::{BLUE, SKY, VERMILLION};

/// The series, in drawing order, as the legend names them.
pub fn legend(sim: &Simulation) -> Vec<LegendEntry> {
    let mut entries = vec![
        LegendEntry::solid("worst minute", SKY),
        LegendEntry::solid("availability SLI", BLUE),
    ];
    if let Some(slo) = sim.scenario().availability_slo() {
        let target = slo.target.0 * 100.0;
        entries.push(LegendEntry::dashed(
            format!("SLO target {target:.2} %"),
            VERMILLION,
        ));
    }
    entries
}

/// The availability target the chart zooms on: the scenario's availability SLO, else 99 %
/// (a scenario may promise only latency; the chart then shows no target line).
pub fn zoom_target(sim: &Simulation) -> f64 {
    sim.scenario()
        .availability_slo()
        .map_or(0.99, |slo| slo.target.0)
}

/// Draws the availability SLI (per column: the mean, and the worst minute so brief outages
/// show) with the SLO target as a dashed line.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation, span: TickSpan) -> Result<Drawn, String> {
    let root = open(canvas)?;
    let scenario = sim.scenario();
    let target = scenario.availability_slo().map(|slo| slo.target.0 * 100.0);
    // Per-minute SLIs: a single failed request in a quiet tick would read as a dip below a
    // 99.9 % target; a minute is the shortest span where the SLI means something. Only the
    // minutes of the span are summed.
    let first_minute = span.start / TICKS_PER_MINUTE;
    let shown = sim
        .records()
        .get((first_minute * TICKS_PER_MINUTE) as usize..);
    let minutes = per_minute(shown.unwrap_or_default());
    let cols = columns(
        &minutes,
        0..span.ticks().div_ceil(TICKS_PER_MINUTE),
        TICKS_PER_DAY / TICKS_PER_MINUTE,
        canvas.width() as usize,
        |r| r.sli() * 100.0,
    );
    // Columns count days from the first minute shown: move them to the run's days.
    let offset = f64::from(first_minute) / f64::from(TICKS_PER_DAY / TICKS_PER_MINUTE);
    let cols: Vec<_> = cols
        .into_iter()
        .map(|c| super::Column {
            day: c.day + offset,
            ..c
        })
        .collect();
    // Zoom on the band around the target, widened (in whole percent) when the mean SLI
    // falls below it, so a bad day is seen, not flattened on the bottom edge.
    let lowest_mean = cols.iter().map(|c| c.mean).fold(100.0, f64::min);
    let floor = (lowest_shown(zoom_target(sim)) * 100.0)
        .min(lowest_mean.floor())
        .max(0.0);
    let mut chart = day_chart(&root, span, ValueAxis::linear(floor..100.0), &|v| {
        format!("{v:.2} %")
    })?;
    let clamp = |v: f64| v.max(floor);
    chart
        .draw_series(LineSeries::new(
            cols.iter().map(|c| (c.day, clamp(c.min))),
            SKY.stroke_width(1),
        ))
        .map_err(describe)?;
    chart
        .draw_series(LineSeries::new(
            cols.iter().map(|c| (c.day, clamp(c.mean))),
            BLUE.stroke_width(2),
        ))
        .map_err(describe)?;
    if let Some(target) = target {
        threshold(&mut chart, target, VERMILLION)?;
    }
    root.present().map_err(describe)?;
    let read = |label, digits, value: fn(&super::Column) -> f64| {
        ReadoutSeries::new(label, BLUE, Unit::Percent(digits))
            .with_points(cols.iter().map(|c| (c.day, value(c))).collect())
    };
    let series = vec![
        read("availability SLI", 3, |c| c.mean),
        ReadoutSeries {
            colour: SKY,
            ..read("worst minute", 2, |c| c.min)
        },
    ];
    Ok(drawn(&chart, canvas, sim, span, series))
}

/// Lowest SLI the chart shows while all is well, as a share: nine error budgets below the
/// target. Worse minutes sit on the bottom edge (the chart's note says so).
pub fn lowest_shown(target: f64) -> f64 {
    (target - 9.0 * (1.0 - target)).max(0.0)
}

/// Sums ticks into minutes (the last minute may be partial).
fn per_minute(records: &[TickRecord]) -> Vec<TickRecord> {
    records
        .chunks(TICKS_PER_MINUTE as usize)
        .map(|minute| TickRecord {
            offered: minute.iter().map(|r| r.offered).sum(),
            good: minute.iter().map(|r| r.good).sum(),
            capacity: minute.iter().map(|r| r.capacity).sum(),
            budget_remaining: minute.last().map_or(1.0, |r| r.budget_remaining),
            latency_ms: minute.last().map_or([0.0; 3], |r| r.latency_ms),
        })
        .collect()
}
