//! Burn rate over the alert windows, with the page and ticket thresholds: why the pager
//! went off, and why a ticket was filed while no one was paged.

use ops_dojo_engine::alerts::{AlertRule, Severity};
use ops_dojo_engine::Simulation;

use crate::format::window_words;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::axis::{day_of, TickSpan};
use super::{
    day_chart, describe, dotted_threshold, drawn, open, threshold, Drawn, LegendEntry,
    ReadoutSeries, Unit, ValueAxis,
};
use crate::palette::{BLUE, GREEN, INK, ORANGE, PURPLE, SKY, VERMILLION};

/// Colours of the long windows drawn (1 h, 6 h, 1 d), in the order of the alert table. The
/// 3-day window is not drawn: a fourth line would crowd the chart, and 3 days of burn move
/// too slowly to tell much that the 1-day line does not.
const SERIES: [RGBColor; 3] = [BLUE, SKY, GREEN];
/// Colours of the thresholds, in the order of the alert table (two pages, two tickets).
const THRESHOLDS: [RGBColor; 4] = [VERMILLION, ORANGE, PURPLE, INK];
/// The y axis, burn rates: healthy burn sits at the bottom edge, an outage at the top.
const LOWEST: f64 = 0.1;
const HIGHEST: f64 = 100.0;

/// The series, in drawing order, as the legend names them.
pub fn legend(sim: &Simulation) -> Vec<LegendEntry> {
    let rules = sim.alerting().rules();
    let series = rules.iter().zip(SERIES).map(|(rule, colour)| {
        LegendEntry::solid(
            format!("burn rate over {}", window_words(rule.long_ticks)),
            colour,
        )
    });
    let thresholds = rules.iter().zip(THRESHOLDS).map(|(rule, colour)| {
        let label = format!(
            "{} if {} (and {}) ≥ {}×",
            rule.severity.id(),
            window_words(rule.long_ticks),
            window_words(rule.short_ticks),
            factor(rule.burn_rate)
        );
        match rule.severity {
            Severity::Page => LegendEntry::dashed(label, colour),
            Severity::Ticket => LegendEntry::dotted(label, colour),
        }
    });
    series.chain(thresholds).collect()
}

/// Draws the 1 h, 6 h and 1 d burn rates at the end of each pixel column, with every
/// threshold of the alert table: dashed for pages, dotted for tickets.
///
/// The y axis is logarithmic: the thresholds are factors from 0.93× (3-day ticket) to
/// 13.44× (1-hour page), and an outage burns hundreds. On a linear axis tall enough for
/// the page thresholds, the ticket thresholds and a slow burn would lie flat on the bottom
/// edge; on a log axis "twice the threshold" is the same height for every rule.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation, span: TickSpan) -> Result<Drawn, String> {
    let root = open(canvas)?;
    let rules = sim.alerting().rules();
    let columns = canvas.width().max(1);
    let ticks_per_column = span.ticks().div_ceil(columns).max(1);
    let simulated = sim.tick();
    // A hair beyond the decades so their lines and labels are inside the plot.
    let (low, high) = (LOWEST * 0.999, HIGHEST * 1.001);
    let mut chart = day_chart(&root, span, ValueAxis::log(low..high), &|v| {
        if *v < 1.0 {
            format!("{v:.1}×")
        } else {
            format!("{v:.0}×")
        }
    })?;
    // No failure at all is a burn of 0, below any log axis: it sits on the bottom edge.
    let clamp = |v: f64| v.max(low).min(high);
    let mut series = Vec::new();
    for (rule, colour) in rules.iter().zip(SERIES) {
        let window = rule.long_ticks;
        let points: Vec<(f64, f64)> = (1..=columns)
            .map(|c| span.start + c * ticks_per_column)
            .take_while(|&end| end <= simulated.min(span.end))
            .map(|end| (day_of(end), sim.burn_rate_at(end - 1, window)))
            .collect();
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|&(day, burn)| (day, clamp(burn))),
                colour.stroke_width(2),
            ))
            .map_err(describe)?;
        let label = format!("burn rate over {}", window_words(rule.long_ticks));
        series.push(ReadoutSeries::new(label, colour, Unit::BurnRate).with_points(points));
    }
    for (rule, colour) in rules.iter().zip(THRESHOLDS) {
        draw_threshold(&mut chart, rule, colour)?;
    }
    root.present().map_err(describe)?;
    Ok(drawn(&chart, canvas, sim, span, series))
}

fn draw_threshold(
    chart: &mut super::DayChart<'_>,
    rule: &AlertRule,
    colour: RGBColor,
) -> Result<(), String> {
    match rule.severity {
        Severity::Page => threshold(chart, rule.burn_rate, colour),
        Severity::Ticket => dotted_threshold(chart, rule.burn_rate, colour),
    }
}

/// A threshold factor with at most two decimals and no trailing zeros: 13.44, 5.6, 1.
fn factor(rate: f64) -> f64 {
    (rate * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::clock::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE};

    use super::*;

    #[test]
    fn windows_and_factors_read_as_people_say_them() {
        assert_eq!(window_words(5 * TICKS_PER_MINUTE), "5 m");
        assert_eq!(window_words(6 * TICKS_PER_HOUR), "6 h");
        assert_eq!(window_words(3 * TICKS_PER_DAY), "3 d");
        assert_eq!(format!("{}", factor(13.44)), "13.44");
        assert_eq!(format!("{}", factor(5.6000001)), "5.6");
        assert_eq!(format!("{}", factor(28.0 * 24.0 * 0.1 / 72.0)), "0.93");
        assert_eq!(format!("{}", factor(1.0)), "1");
    }
}
