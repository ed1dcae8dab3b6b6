//! The reliability/velocity trade-off as a scatter: error budget left across, features in
//! users' hands up. Every dot is one run (a student's, or one seed of a bot); its group (a
//! role, a policy) has its own shape as well as its own colour, so the chart never rests on
//! colour alone. SVG, so it scales on a projector and each dot carries a text title.

use yew::prelude::*;

use crate::download;

use crate::format::percent;

/// One run on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeOffPoint {
    /// Error budget left at the end (share; below 0 when overspent).
    pub budget_left: f64,
    pub features: f64,
    /// Index into the chart's groups.
    pub group: usize,
    /// Who or what the dot is, for its title.
    pub label: String,
}

#[derive(Properties, PartialEq)]
pub struct TradeOffChartProps {
    pub id: AttrValue,
    pub points: Vec<TradeOffPoint>,
    /// Group names, in legend order (at most four shapes; more groups reuse them).
    pub groups: Vec<AttrValue>,
}

/// Plot size and margins, viewBox units.
const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;

/// Okabe–Ito colours (safe for colour-blind readers), one per group or line.
pub const COLOURS: [&str; 4] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7"];

#[function_component(TradeOffChart)]
pub fn trade_off_chart(props: &TradeOffChartProps) -> Html {
    // Budget from "spent twice over" (or worse, if a run was) to all of it left.
    let x_min = props
        .points
        .iter()
        .map(|p| p.budget_left)
        .fold(-1.0_f64, f64::min)
        .max(-10.0);
    let y_max = props
        .points
        .iter()
        .map(|p| p.features)
        .fold(4.0_f64, f64::max)
        .ceil();
    let x = |budget: f64| {
        LEFT + (budget.clamp(x_min, 1.0) - x_min) / (1.0 - x_min) * (WIDTH - LEFT - RIGHT)
    };
    let y = |features: f64| TOP + (1.0 - features / y_max) * (HEIGHT - TOP - BOTTOM);
    let x_ticks: Vec<f64> = {
        let step = if x_min < -2.0 { 1.0 } else { 0.5 };
        let mut ticks = Vec::new();
        let mut t = 1.0;
        while t >= x_min - 1e-9 {
            ticks.push(t);
            t -= step;
        }
        ticks
    };
    let y_step = (y_max / 4.0).ceil().max(1.0);
    let y_ticks: Vec<f64> = (0..)
        .map(|k| f64::from(k) * y_step)
        .take_while(|v| *v <= y_max)
        .collect();
    let title_id = format!("{}-title", props.id);
    let save_svg = {
        let id = props.id.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = download::save_svg(&id, &format!("{id}.svg"));
        })
    };
    html! {
        <figure class="trade-off">
            <svg id={props.id.clone()} viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-labelledby={title_id.clone()}>
                <title id={title_id}>{ format!("Error budget left against features shipped, {} runs", props.points.len()) }</title>
                // The budget line: right of it the SLO held, left of it the budget was overspent.
                <rect x={x(0.0).to_string()} y={TOP.to_string()} width={(x(1.0) - x(0.0)).to_string()}
                    height={(HEIGHT - TOP - BOTTOM).to_string()} class="held-zone" />
                { for x_ticks.iter().map(|&t| html! {
                    <g class="tick">
                        <line x1={x(t).to_string()} x2={x(t).to_string()} y1={TOP.to_string()} y2={(HEIGHT - BOTTOM).to_string()} />
                        <text x={x(t).to_string()} y={(HEIGHT - BOTTOM + 14.0).to_string()} text-anchor="middle">{ percent(t, 0) }</text>
                    </g>
                }) }
                { for y_ticks.iter().map(|&t| html! {
                    <g class="tick">
                        <line x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={y(t).to_string()} y2={y(t).to_string()} />
                        <text x={(LEFT - 6.0).to_string()} y={(y(t) + 4.0).to_string()} text-anchor="end">{ t }</text>
                    </g>
                }) }
                <text class="axis-label" x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={(HEIGHT - 6.0).to_string()} text-anchor="middle">
                    { "Error budget left at the end (right of 0 %: the SLO held)" }
                </text>
                <text class="axis-label" transform={format!("translate(12 {}) rotate(-90)", (TOP + HEIGHT - BOTTOM) / 2.0)} text-anchor="middle">
                    { "Features shipped" }
                </text>
                { for props.points.iter().map(|p| marker(p.group, x(p.budget_left), y(p.features), &format!(
                    "{}: {} of the budget left, {} features", p.label, percent(p.budget_left, 1), p.features))) }
            </svg>
            <figcaption class="legend">
                { for props.groups.iter().enumerate().map(|(i, name)| html! {
                    <span class="legend-item">
                        <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">{ marker(i, 0.0, 0.0, "") }</svg>
                        { name }
                    </span>
                }) }
            </figcaption>
            <p class="chart-downloads">
                <button type="button" onclick={save_svg}>{ "Save as SVG" }</button>
            </p>
        </figure>
    }
}

/// A group's dot: circle, square, triangle or diamond.
fn marker(group: usize, cx: f64, cy: f64, title: &str) -> Html {
    let colour = COLOURS[group % COLOURS.len()];
    let r = 5.0;
    let title = (!title.is_empty()).then(|| html! { <title>{ title }</title> });
    match group % 4 {
        0 => {
            html! { <circle class="dot" cx={cx.to_string()} cy={cy.to_string()} r={r.to_string()} fill={colour}>{ title }</circle> }
        }
        1 => {
            html! { <rect class="dot" x={(cx - r).to_string()} y={(cy - r).to_string()} width={(2.0 * r).to_string()} height={(2.0 * r).to_string()} fill={colour}>{ title }</rect> }
        }
        2 => {
            html! { <polygon class="dot" points={format!("{},{} {},{} {},{}", cx, cy - r * 1.2, cx + r * 1.1, cy + r * 0.8, cx - r * 1.1, cy + r * 0.8)} fill={colour}>{ title }</polygon> }
        }
        _ => {
            html! { <polygon class="dot" points={format!("{},{} {},{} {},{} {},{}", cx, cy - r * 1.3, cx + r * 1.1, cy, cx, cy + r * 1.3, cx - r * 1.1, cy)} fill={colour}>{ title }</polygon> }
        }
    }
}
