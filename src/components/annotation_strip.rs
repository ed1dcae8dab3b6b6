//! The timeline strip above the charts: deploys, rollbacks, alerts, incidents, faults and
//! actions on the charts' own time axis, so a dip in a chart lines up with its cause.
//!
//! SVG rather than canvas: a few dozen marks, each with a tooltip (`<title>`), crisp at any
//! zoom. It uses the charts' viewBox width and `TimeAxis::standard`, and scales with the
//! column as the canvases do, so its x axis sits exactly over theirs.

use ops_dojo_engine::clock::TICKS_PER_DAY;
use yew::prelude::*;

use crate::charts::annotations::{
    bot_label, events_with_actors, is_marked, marks, Lane, Mark, MarkKind, Shape,
};
use crate::charts::axis::{key_points, moment, time_label, TickSpan, TimeAxis, CANVAS_WIDTH_PX};

use crate::components::event_log::event_item;
use crate::palette::{css_colour, GRID, INK};
use crate::state::RunView;

/// Height of one lane, viewBox units (canvas pixels).
const LANE_HEIGHT: f64 = 18.0;
/// Space above the first lane.
const PAD: f64 = 4.0;
/// Height of the time labels under the lanes, as under the charts.
const LABELS: f64 = 16.0;
/// Height of the lanes, and of the whole strip, viewBox units.
const LANES_HEIGHT: f64 = PAD + LANE_HEIGHT * Lane::ALL.len() as f64;
const HEIGHT: f64 = LANES_HEIGHT + LABELS;
/// Size of a marker, viewBox units.
const MARKER: f64 = 11.0;

#[derive(Properties, PartialEq)]
pub struct AnnotationStripProps {
    pub run: RunView,
    /// The stretch of the run the charts show (None: the whole run).
    pub span: Option<TickSpan>,
}

#[function_component(AnnotationStrip)]
pub fn annotation_strip(props: &AnnotationStripProps) -> Html {
    let sim = props.run.sim();
    let span = props
        .span
        .unwrap_or_else(|| TickSpan::whole_run(sim.scenario().run_ticks()));
    let axis = TimeAxis::standard(span, CANVAS_WIDTH_PX, HEIGHT as u32);
    let marks = marks(&sim, span);
    let now = sim.tick();
    // The list is built only while it is open: a long run has hundreds of moments.
    let list_open = use_state(|| false);
    let on_toggle = {
        let list_open = list_open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            list_open.set(details.open());
        })
    };
    let whole_run = span == TickSpan::whole_run(sim.scenario().run_ticks());
    let summary = format!(
        "{} Shown: {} to {}.",
        strip_summary(&marks, whole_run),
        moment(span.start),
        moment(span.end)
    );
    html! {
        <figure class="annotation-strip" aria-labelledby="strip-title">
            <figcaption>
                <h2 id="strip-title">{ "What happened when" }</h2>
                <p id="strip-summary" class="chart-summary">{ summary.clone() }</p>
            </figcaption>
            <svg id="annotation-strip" viewBox={format!("0 0 {CANVAS_WIDTH_PX} {HEIGHT}")}
                role="img" aria-label={format!("Timeline of the run: {summary}")}
                data-plot-left={px(axis.left_px)} data-plot-right={px(axis.right_px)}>
                { for key_points(span).into_iter().map(|day| {
                    let x = px(axis.x_px(day * f64::from(TICKS_PER_DAY)));
                    html! {
                        <>
                            <line x1={x.clone()} x2={x.clone()} y1="0" y2={px(LANES_HEIGHT)} stroke={css_colour(GRID)} />
                            <text x={x} y={px(HEIGHT - 3.0)} text-anchor="middle" font-size="11"
                                fill={css_colour(INK)}>{ time_label(day) }</text>
                        </>
                    }
                }) }
                { for Lane::ALL.iter().map(|lane| lane_row(*lane, &axis)) }
                if span.contains(now) && now > 0 {
                    <line class="strip-now" x1={px(axis.x_px(f64::from(now)))}
                        x2={px(axis.x_px(f64::from(now)))} y1="0" y2={px(LANES_HEIGHT)}
                        stroke={css_colour(INK)} stroke-dasharray="2 2" />
                }
                { for marks.iter().map(|mark| mark_svg(mark, &axis)) }
            </svg>
            <ul class="legend strip-legend" aria-label="Legend">
                // The bot's mark is in the legend only when a bot plays.
                { for MarkKind::ALL.iter()
                    .filter(|kind| **kind != MarkKind::BotAction || !sim.bots().is_empty())
                    .map(|kind| html! {
                    <li class={format!("legend-{}", kind.id())}>
                        <svg class="mark-swatch" viewBox="-8 -8 16 16" width="16" height="16" aria-hidden="true">
                            { shape(*kind, 0.0, 0.0, MARKER) }
                        </svg>
                        { if *kind == MarkKind::BotAction { bot_label(&sim) } else { kind.label().to_string() } }
                    </li>
                }) }
            </ul>
            <details class="data-table" ontoggle={on_toggle}>
                <summary>{ "These moments as a list" }</summary>
                if *list_open {
                    <ol id="strip-events" class="strip-events">
                        { for events_with_actors(&sim)
                            .filter(|(e, _)| is_marked(e.kind) && (span.start..=span.end).contains(&e.tick))
                            .map(|(event, actor)| event_item(event, actor)) }
                    </ol>
                }
            </details>
        </figure>
    }
}

/// One sentence for screen readers: how many of each kind the strip shows.
fn strip_summary(marks: &[Mark], whole_run: bool) -> String {
    let counts: Vec<String> = MarkKind::ALL
        .iter()
        .filter_map(|kind| {
            let n = marks.iter().filter(|m| m.kind == *kind).count();
            (n > 0).then(|| format!("{n} × {}", kind.label()))
        })
        .collect();
    if counts.is_empty() && !whole_run {
        "Nothing marked in this range.".to_string()
    } else if counts.is_empty() {
        "Nothing yet: deploys, alerts, incidents, faults and actions (yours and the bot's) will be marked here."
            .to_string()
    } else {
        format!("Marked: {}.", counts.join(", "))
    }
}

/// A coordinate for an SVG attribute: a tenth of a unit is finer than any screen shows.
fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// Middle of a lane, viewBox units.
fn lane_y(lane: Lane) -> f64 {
    PAD + LANE_HEIGHT * (lane.index() as f64 + 0.5)
}

fn lane_row(lane: Lane, axis: &TimeAxis) -> Html {
    let y = lane_y(lane);
    html! {
        <g class="lane">
            <text x={px(axis.left_px - 9.0)} y={px(y + 4.0)} text-anchor="end"
                font-size="11" fill={css_colour(INK)}>{ lane.label() }</text>
            <line x1={px(axis.left_px)} x2={px(axis.right_px)} y1={px(y)} y2={px(y)} stroke={css_colour(GRID)} />
        </g>
    }
}

fn mark_svg(mark: &Mark, axis: &TimeAxis) -> Html {
    let y = lane_y(mark.kind.lane());
    let x = axis.x_px(f64::from(mark.start)).max(axis.left_px);
    let class = format!("mark mark-{}", mark.kind.id());
    let colour = css_colour(mark.kind.colour());
    // Marks that last also get a bar over their time (clipped to the span shown).
    let bar = mark.end.map(|end| {
        let right = axis.x_px(f64::from(end) + 1.0).min(axis.right_px);
        let width = (right - x).max(3.0);
        html! {
            <rect x={px(x)} y={px(y - 4.0)} width={px(width)} height="8"
                fill={colour.clone()} fill-opacity="0.6" stroke={css_colour(INK)} stroke-width="1" />
        }
    });
    html! {
        <g class={class} data-tick={mark.start.to_string()}>
            <title>{ &mark.text }</title>
            { for bar }
            if mark.kind.shape() != Shape::Bar {
                { shape(mark.kind, x, y, MARKER) }
            }
        </g>
    }
}

/// A kind's marker shape, `size` units across, centred on (x, y). Every shape has a dark
/// outline so the light Okabe–Ito hues keep 3:1 contrast against white.
fn shape(kind: MarkKind, x: f64, y: f64, size: f64) -> Html {
    let r = size / 2.0;
    let fill = css_colour(kind.colour());
    let ink = css_colour(INK);
    let polygon = |points: &[(f64, f64)]| {
        let points: Vec<String> = points
            .iter()
            .map(|(dx, dy)| format!("{:.1},{:.1}", x + dx * r, y + dy * r))
            .collect();
        html! { <polygon points={points.join(" ")} fill={fill.clone()} stroke={ink.clone()} stroke-width="1" /> }
    };
    match kind.shape() {
        Shape::TriangleUp => polygon(&[(0.0, -1.1), (1.0, 0.8), (-1.0, 0.8)]),
        Shape::TriangleDown => polygon(&[(0.0, 1.1), (1.0, -0.8), (-1.0, -0.8)]),
        Shape::Diamond => polygon(&[(0.0, -1.2), (1.0, 0.0), (0.0, 1.2), (-1.0, 0.0)]),
        Shape::Square => polygon(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)]),
        Shape::Bar => html! {
            <rect x={px(x - r)} y={px(y - r * 0.8)} width={px(size)} height={px(size * 0.8)}
                fill={fill} fill-opacity="0.6" stroke={ink} stroke-width="1" />
        },
        Shape::Cross => {
            let d = format!(
                "M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}",
                x - r,
                y - r,
                x + r,
                y + r,
                x - r,
                y + r,
                x + r,
                y - r
            );
            html! { <path d={d} stroke={fill} stroke-width="2.5" fill="none" /> }
        }
        Shape::Hexagon => polygon(&[
            (-1.0, 0.0),
            (-0.5, -0.87),
            (0.5, -0.87),
            (1.0, 0.0),
            (0.5, 0.87),
            (-0.5, 0.87),
        ]),
        Shape::Circle => html! {
            <circle cx={px(x)} cy={px(y)} r={px(r * 0.9)}
                fill={fill} stroke={ink} stroke-width="1" />
        },
    }
}
