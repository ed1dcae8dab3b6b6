//! Error budget over the run, one line per compared run: where each way of playing spent
//! it. Lines differ by dash pattern as well as colour, so they never rest on colour alone.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::trade_off_chart::COLOURS;
use crate::download;
use crate::format::percent;

#[derive(Properties, PartialEq)]
pub struct BudgetLinesProps {
    /// Each run's name and its budget left at the end of every simulated hour (share).
    pub runs: Vec<(AttrValue, Rc<Vec<f64>>)>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 34.0;

/// A dash pattern per line, beside the shared colours.
const DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

/// A run's colour and dash pattern.
fn style(i: usize) -> (&'static str, &'static str) {
    (COLOURS[i % COLOURS.len()], DASHES[i % DASHES.len()])
}

#[function_component(BudgetLines)]
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
    let x = |hour: f64| LEFT + hour / hours as f64 * (WIDTH - LEFT - RIGHT);
    let y =
        |share: f64| TOP + (1.0 - share.clamp(low, 1.0)) / (1.0 - low) * (HEIGHT - TOP - BOTTOM);
    // Labels every 50 % on a short scale, every 100 % on a long one.
    let step = if low < -1.5 { 1.0 } else { 0.5 };
    let y_ticks: Vec<f64> = (0..)
        .map(|k| 1.0 - f64::from(k) * step)
        .take_while(|t| *t >= low - 1e-9)
        .collect();
    let days = hours.div_ceil(24);
    let day_step = days.div_ceil(7).max(1);
    html! {
        <figure class="trade-off budget-lines">
            <svg id="compare-budget" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-labelledby="compare-budget-title">
                <title id="compare-budget-title">{ format!("Error budget left over {days} days, {} runs", props.runs.len()) }</title>
                { for y_ticks.iter().map(|&t| html! {
                    <g class={classes!("tick", (t == 0.0).then_some("zero"))}>
                        <line x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={y(t).to_string()} y2={y(t).to_string()} />
                        <text x={(LEFT - 6.0).to_string()} y={(y(t) + 4.0).to_string()} text-anchor="end">{ percent(t, 0) }</text>
                    </g>
                }) }
                { for (0..days).step_by(day_step).map(|d| html! {
                    <g class="tick">
                        <text x={x(d as f64 * 24.0).to_string()} y={(HEIGHT - BOTTOM + 14.0).to_string()} text-anchor="middle">{ format!("day {}", d + 1) }</text>
                    </g>
                }) }
                <text class="axis-label" x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={(HEIGHT - 4.0).to_string()} text-anchor="middle">
                    { "Simulated time (below 0 %: the budget is overspent, the SLO missed)" }
                </text>
                { for props.runs.iter().enumerate().map(|(i, (name, budget))| {
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
                }) }
            </svg>
            <figcaption class="legend">
                { for props.runs.iter().enumerate().map(|(i, (name, _))| {
                    let (colour, dash) = style(i);
                    html! {
                        <span class="legend-item">
                            <svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">
                                <line x1="0" x2="28" y1="5" y2="5" stroke={colour} stroke-width="2" stroke-dasharray={dash} />
                            </svg>
                            { name }
                        </span>
                    }
                }) }
            </figcaption>
            <p class="chart-downloads">
                <button type="button" onclick={Callback::from(|_: MouseEvent| { let _ = download::save_svg("compare-budget", "error-budget-over-the-run.svg"); })}>{ "Save as SVG" }</button>
            </p>
        </figure>
    }
}
