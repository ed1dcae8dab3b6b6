//! The reliability/velocity trade-off as a scatter: error budget left across, features in
//! users' hands up. Every dot is one run (a student's, or one seed of a bot); its group (a
//! role, a policy) has its own shape as well as its own colour, so the chart never rests on
//! colour alone. SVG, so it scales on a projector and each dot carries a text title.

use yew::prelude::*;

use crate::components::svg_chart::{svg_chart, AxisTick, Frame, LegendEntry, SvgChartProps};
use crate::format::percent;
use crate::palette::{css_colour, series};

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

pub struct TradeOffChartProps {
    pub id: AttrValue,
    pub points: Vec<TradeOffPoint>,
    /// Group names, in legend order (at most four shapes; more groups reuse them).
    pub groups: Vec<AttrValue>,
}

/// Plot size and margins, viewBox units.
const FRAME: Frame = Frame {
    width: 560.0,
    height: 300.0,
    left: 48.0,
    right: 16.0,
    top: 14.0,
    bottom: 40.0,
};

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
    let x = |budget: f64| FRAME.x((budget.clamp(x_min, 1.0) - x_min) / (1.0 - x_min));
    let y = |features: f64| FRAME.y(features / y_max);
    let x_ticks: Vec<AxisTick> = {
        let step = if x_min < -2.0 { 1.0 } else { 0.5 };
        let mut ticks = Vec::new();
        let mut t = 1.0;
        while t >= x_min - 1e-9 {
            ticks.push(AxisTick::line(x(t), percent(t, 0)));
            t -= step;
        }
        ticks
    };
    let y_step = (y_max / 4.0).ceil().max(1.0);
    let y_ticks: Vec<AxisTick> = (0..)
        .map(|k| f64::from(k) * y_step)
        .take_while(|v| *v <= y_max)
        .map(|t| AxisTick::line(y(t), t.to_string()))
        .collect();
    let legend: Vec<LegendEntry> = props
        .groups
        .iter()
        .enumerate()
        .map(|(i, name)| LegendEntry {
            swatch: html! {
                <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">{ marker(i, 0.0, 0.0, "") }</svg>
            },
            name: name.clone(),
        })
        .collect();
    // The budget line: right of it the SLO held, left of it the budget was overspent.
    let held_zone = html! {
        <rect x={x(0.0).to_string()} y={FRAME.top.to_string()} width={(x(1.0) - x(0.0)).to_string()}
            height={(FRAME.y(0.0) - FRAME.top).to_string()} class="held-zone" />
    };
    html! {
        { svg_chart(&SvgChartProps {
            id: props.id.clone(),
            class: "trade-off",
            frame: FRAME,
            title: format!("Error budget left against features shipped, {} runs", props.points.len()).into(),
            x_ticks,
            y_ticks,
            legend,
            underlay: held_zone,
            x_label: "Error budget left at the end (right of 0 %: the SLO held)".into(),
            y_label: Some("Features shipped".into()),
            file_name: format!("{}.svg", props.id).into(),
            children: props.points.iter().map(|p| marker(p.group, x(p.budget_left), y(p.features), &format!(
                "{}: {} of the budget left, {} features", p.label, percent(p.budget_left, 1), p.features))).collect(),
        }) }
    }
}

/// A group's dot: circle, square, triangle or diamond.
fn marker(group: usize, cx: f64, cy: f64, title: &str) -> Html {
    let colour = css_colour(series(group));
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
