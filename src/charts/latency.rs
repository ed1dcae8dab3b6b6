//! Latency users saw at the entry service (p50, p90, p99) against the latency SLO: how slow
//! is the service for most users, and for the unlucky few?

use ops_dojo_engine::clock::{TICKS_PER_DAY, TICK_LABEL};
use ops_dojo_engine::scenario::SliKind;
use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::axis::TickSpan;
use super::{
    columns, day_chart, describe, drawn, open, threshold, Drawn, LegendEntry, ReadoutSeries, Unit,
    ValueAxis,
};
use crate::palette::{BLUE, ORANGE, SKY, VERMILLION};

/// The latency SLO measured where this chart looks (the entry service), if the scenario
/// has one: (target share, threshold in milliseconds).
pub fn entry_slo(sim: &Simulation) -> Option<(f64, f64)> {
    let scenario = sim.scenario();
    let topology = scenario.topology();
    scenario
        .slos
        .iter()
        .enumerate()
        .filter(|(i, slo)| {
            slo.sli == SliKind::Latency && topology.slo_service.get(*i) == Some(&topology.entry)
        })
        .find_map(|(_, slo)| {
            slo.threshold_seconds()
                .map(|seconds| (slo.target.0, seconds * 1000.0))
        })
}

/// The SLO in words, e.g. "99 % under 400 ms".
pub fn slo_words(target: f64, threshold_ms: f64) -> String {
    // Rounded to two decimals of a percent, printed without trailing zeros (99, 99.5, 99.95).
    let percent = (target * 10_000.0).round() / 100.0;
    format!("{percent} % under {threshold_ms:.0} ms")
}

/// The series, in drawing order, as the legend names them.
pub fn legend(sim: &Simulation) -> Vec<LegendEntry> {
    let mut entries = vec![
        LegendEntry::solid("p50 (median)", SKY),
        LegendEntry::solid("p90", BLUE),
        LegendEntry::solid(format!("p99 (slowest {TICK_LABEL} per column)"), ORANGE),
    ];
    if let Some((target, threshold_ms)) = entry_slo(sim) {
        entries.push(LegendEntry::dashed(
            format!("SLO: {}", slo_words(target, threshold_ms)),
            VERMILLION,
        ));
    }
    entries
}

/// Draws p50 and p90 (each column's mean) and p99 (each column's worst tick, so a spike
/// survives the downsampling), with the latency SLO's threshold as a dashed line.
///
/// The y axis is logarithmic: a healthy median sits at tens of milliseconds while p99 in an
/// incident reaches seconds (queues wait until callers time out). On a linear axis that
/// spike would flatten p50 and p90 onto the bottom edge; on a log axis every percentile
/// stays readable, and "twice as slow" is the same height anywhere on the chart.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation, span: TickSpan) -> Result<Drawn, String> {
    let root = open(canvas)?;
    let width = canvas.width() as usize;
    let series = |p: usize| {
        columns(
            sim.records(),
            span.start..span.end,
            TICKS_PER_DAY,
            width,
            |r| f64::from(r.latency_ms[p]),
        )
    };
    let (p50, p90, p99) = (series(0), series(1), series(2));
    let slo = entry_slo(sim);

    // Whole decades from below the fastest median to above the slowest p99 (and the SLO
    // threshold), at least two of them, so the labelled lines are 1, 10, 100 ms, 1 s...
    let fastest = p50
        .iter()
        .map(|c| c.mean)
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let slowest = p99
        .iter()
        .map(|c| c.max)
        .chain(slo.map(|(_, ms)| ms))
        .fold(0.0, f64::max);
    let bottom = decade_below(if fastest.is_finite() { fastest } else { 20.0 });
    let top = decade_above(slowest * 1.1).max(bottom * 100.0);
    // A hair beyond the decades so their lines and labels are inside the plot.
    let (low, high) = (bottom * 0.999, top * 1.001);
    let mut chart = day_chart(&root, span, ValueAxis::log(low..high), &|v| {
        if *v >= 1000.0 {
            format!("{:.0} s", v / 1000.0)
        } else {
            format!("{v:.0} ms")
        }
    })?;
    // Ticks without answers (nothing arrived) have no latency: keep them on the bottom edge.
    let clamp = |v: f64| v.max(low).min(high); // NaN → bottom
    for (points, colour) in [
        (
            p50.iter()
                .map(|c| (c.day, clamp(c.mean)))
                .collect::<Vec<_>>(),
            SKY,
        ),
        (p90.iter().map(|c| (c.day, clamp(c.mean))).collect(), BLUE),
        (p99.iter().map(|c| (c.day, clamp(c.max))).collect(), ORANGE),
    ] {
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))
            .map_err(describe)?;
    }
    if let Some((_, threshold_ms)) = slo {
        threshold(&mut chart, threshold_ms, VERMILLION)?;
    }
    root.present().map_err(describe)?;
    let read =
        |label: &str, colour, columns: &[super::Column], value: fn(&super::Column) -> f64| {
            ReadoutSeries::new(label, colour, Unit::Milliseconds)
                .with_points(columns.iter().map(|c| (c.day, value(c))).collect())
        };
    let series = vec![
        read("p50", SKY, &p50, |c| c.mean),
        read("p90", BLUE, &p90, |c| c.mean),
        read(&format!("p99 (slowest {TICK_LABEL})"), ORANGE, &p99, |c| {
            c.max
        }),
    ];
    Ok(drawn(&chart, canvas, sim, span, series))
}

/// The power of ten at or below `ms` (at least 1 ms).
fn decade_below(ms: f64) -> f64 {
    let mut decade = 1.0;
    while decade * 10.0 <= ms {
        decade *= 10.0;
    }
    decade
}

/// The power of ten at or above `ms` (at most 100 s: callers give up long before).
fn decade_above(ms: f64) -> f64 {
    let mut decade = 1.0;
    while decade < ms && decade < 100_000.0 {
        decade *= 10.0;
    }
    decade
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_bracket_the_values() {
        assert_eq!(decade_below(81.0), 10.0);
        assert_eq!(decade_below(100.0), 100.0);
        assert_eq!(decade_below(0.2), 1.0);
        assert_eq!(decade_above(440.0), 1000.0);
        assert_eq!(decade_above(1000.0), 1000.0);
        assert_eq!(decade_above(f64::NAN), 1.0);
    }

    #[test]
    fn slo_reads_as_words() {
        assert_eq!(slo_words(0.99, 400.0), "99 % under 400 ms");
        assert_eq!(slo_words(0.995, 250.0), "99.5 % under 250 ms");
        assert_eq!(slo_words(0.9995, 1000.0), "99.95 % under 1000 ms");
    }
}
