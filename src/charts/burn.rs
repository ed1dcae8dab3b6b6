//! Burn rate over the alert windows, with the page thresholds: why the pager went off.

use ops_dojo_engine::clock::TICKS_PER_DAY;
use ops_dojo_engine::Simulation;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{day_chart, describe, open, threshold, LegendEntry, BLUE, ORANGE, SKY, VERMILLION};

pub fn legend(sim: &Simulation) -> Vec<LegendEntry> {
    let rules = sim.alerting().rules();
    vec![
        LegendEntry::solid("burn rate over 1 h", BLUE),
        LegendEntry::solid("burn rate over 6 h", SKY),
        LegendEntry::dashed(
            format!("page if 1 h (and 5 m) ≥ {:.2}×", rules[0].burn_rate),
            VERMILLION,
        ),
        LegendEntry::dashed(
            format!("page if 6 h (and 30 m) ≥ {:.2}×", rules[1].burn_rate),
            ORANGE,
        ),
    ]
}

/// Draws the 1 h and 6 h burn rates at the end of each pixel column (clipped at twice the
/// fast page's threshold), with the page thresholds of the alert table.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation) -> Result<(), String> {
    let root = open(canvas)?;
    let scenario = sim.scenario();
    let days = f64::from(scenario.days.0);
    let rules = sim.alerting().rules();
    let columns = canvas.width().max(1);
    let ticks_per_column = scenario.run_ticks().div_ceil(columns).max(1);
    let simulated = sim.tick();
    let top = 2.0 * rules[0].burn_rate;
    let mut chart = day_chart(&root, scenario.days.0, 0.0..top, &|v| format!("{v:.0}×"))?;
    // The long windows of the two page rules (1 h and 6 h).
    for (rule, colour) in rules.iter().take(2).zip([BLUE, SKY]) {
        let window = rule.long_ticks;
        let points = (1..=columns)
            .map(|c| c * ticks_per_column)
            .take_while(|&end| end <= simulated)
            .map(|end| {
                let burn = sim.burn_rate_at(end - 1, window).min(top);
                (f64::from(end) / f64::from(TICKS_PER_DAY), burn)
            });
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))
            .map_err(describe)?;
    }
    threshold(&mut chart, days, rules[0].burn_rate, VERMILLION)?;
    threshold(&mut chart, days, rules[1].burn_rate, ORANGE)?;
    root.present().map_err(describe)
}
