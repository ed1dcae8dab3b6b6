//! Error budget over the run, one line per compared run: where each way of playing spent
//! it. Lines differ by dash pattern as well as colour, so they never rest on colour alone.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::svg_chart::{svg_chart, AxisTick, Frame, LegendEntry, SvgChartProps};
use crate::format::percent;
use crate::palette::{css_colour, series};

pub struct BudgetLinesProps {
    /// Each run's name and its budget left at the end of every simulated hour (share).
    pub runs: Vec<(AttrValue, Rc<Vec<f64>>)>,
}

/// Plot size and margins, viewBox units.
const FRAME: Frame = Frame {
    width: 720.0,
    height: 260.0,
    left: 52.0,
    right: 12.0,
    top: 10.0,
    bottom: 34.0,
};

/// A dash pattern per line, beside the shared colours.
const DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

/// A run's colour (CSS) and dash pattern.
fn style(i: usize) -> (String, &'static str) {
    (css_colour(series(i)), DASHES[i % DASHES.len()])
}

pub fn budget_lines(props: &BudgetLinesProps) -> Html {
    let hours = props
        .runs
        .iter()
        .map(|(_, b)| b.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let low = props
        .runs
        .iter()
        .flat_map(|(_, b)| b.iter().copied())
        .fold(0.0_f64, f64::min)
        .clamp(-5.0, 0.0);
    // Round the bottom down to a whole half, so the labels read well.
    let low = (low * 2.0).floor() / 2.0;
    let x = |hour: f64| FRAME.x(hour / hours as f64);
    let y = |share: f64| FRAME.y((share.clamp(low, 1.0) - low) / (1.0 - low));
    // Labels every 50 % on a short scale, every 100 % on a long one.
    let step = if low < -1.5 { 1.0 } else { 0.5 };
    let y_ticks: Vec<AxisTick> = (0..)
        .map(|k| 1.0 - f64::from(k) * step)
        .take_while(|t| *t >= low - 1e-9)
        .map(|t| {
            let tick = AxisTick::line(y(t), percent(t, 0));
            if t == 0.0 {
                tick.emphasised("zero")
            } else {
                tick
            }
        })
        .collect();
    let days = hours.div_ceil(24);
    let day_step = days.div_ceil(7).max(1);
    let x_ticks: Vec<AxisTick> = (0..days)
        .step_by(day_step)
        .map(|d| AxisTick::label(x(d as f64 * 24.0), format!("day {}", d + 1)))
        .collect();
    let legend: Vec<LegendEntry> = props
        .runs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let (colour, dash) = style(i);
            LegendEntry {
                swatch: html! {
                    <svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">
                        <line x1="0" x2="28" y1="5" y2="5" stroke={colour} stroke-width="2" stroke-dasharray={dash} />
                    </svg>
                },
                name: name.clone(),
            }
        })
        .collect();
    html! {
        { svg_chart(&SvgChartProps {
            id: "compare-budget".into(),
            class: "trade-off budget-lines",
            frame: FRAME,
            title: format!("Error budget left over {days} days, {} runs", props.runs.len()).into(),
            x_ticks,
            y_ticks,
            legend,
            underlay: Html::default(),
            x_label: "Simulated time (below 0 %: the budget is overspent, the SLO missed)".into(),
            y_label: None,
            file_name: "error-budget-over-the-run.svg".into(),
            children: props.runs.iter().enumerate().map(|(i, (name, budget))| {
                let (colour, dash) = style(i);
                let points: Vec<String> = budget.iter().enumerate()
                    .map(|(h, b)| format!("{:.1},{:.1}", x(h as f64 + 1.0), y(*b)))
                    .collect();
                html! {
                    <polyline class="budget-line" points={points.join(" ")} fill="none" stroke={colour}
                        stroke-width="2" stroke-dasharray={dash}>
                        <title>{ format!("{name}: {} left at the end", budget.last().map_or("—".to_string(), |b| percent(*b, 1))) }</title>
                    </polyline>
                }
            }).collect(),
        }) }
    }
}
