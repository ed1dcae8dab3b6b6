//! A chart on a canvas, redrawn only when the run changes, with a text alternative.

use gloo::timers::callback::Timeout;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::axis::{TickSpan, CANVAS_HEIGHT_PX, CANVAS_WIDTH_PX};
use crate::charts::table::hourly;
use crate::charts::{ChartKind, Drawn};
use crate::components::chart_readout::{readout, use_cursor, CssBox};
use crate::download;
use crate::state::RunView;

#[derive(Properties, Clone, PartialEq)]
pub struct ChartPanelProps {
    /// Element id of the canvas.
    pub id: AttrValue,
    pub title: AttrValue,
    /// One sentence saying what the chart shows now, for people who cannot see it.
    pub summary: AttrValue,
    /// What to read in it, shown under the chart.
    pub note: AttrValue,
    pub chart: ChartKind,
    /// The run: the chart redraws when its version changes.
    pub run: RunView,
    /// The stretch of the run shown (None: the whole run).
    #[prop_or_default]
    pub span: Option<TickSpan>,
}

/// Shortest time between two redraws of a chart while the run moves, milliseconds (10 a
/// second: the eye follows a trend, not each frame).
const MIN_REDRAW_MS: f64 = 100.0;

#[function_component(ChartPanel)]
pub fn chart_panel(props: &ChartPanelProps) -> Html {
    let canvas = use_node_ref();
    let error = use_state(|| None::<String>);
    // What the last draw put on the canvas: the read-out reads it, so moving the pointer
    // never redraws the chart. A ref, not state: storing it must not render again.
    let drawn = use_mut_ref(|| None::<Drawn>);
    // At the top speeds the run changes every frame, but a chart redraw reads every record:
    // charts redraw at most every MIN_REDRAW_MS while the run moves, and a trailing draw
    // shows the latest state (the view shares the live simulation, so any clone of it
    // draws the newest data). A new span draws at once.
    let last_draw = use_mut_ref(|| (f64::NEG_INFINITY, None::<TickSpan>));
    let trailing = use_mut_ref(|| None::<Timeout>);
    {
        let draw = {
            let canvas = canvas.clone();
            let error = error.clone();
            let drawn = drawn.clone();
            let chart = props.chart;
            move |run: &RunView, span: Option<TickSpan>| {
                if let Some(element) = canvas.cast::<HtmlCanvasElement>() {
                    let sim = run.sim();
                    let span =
                        span.unwrap_or_else(|| TickSpan::whole_run(sim.scenario().run_ticks()));
                    let result = chart.draw(&element, &sim, span).map(|done| {
                        // Where the plot landed, for tests that check the strip lines up.
                        let axis = done.axis;
                        let _ = element
                            .set_attribute("data-plot-left", &format!("{:.1}", axis.left_px));
                        let _ = element
                            .set_attribute("data-plot-right", &format!("{:.1}", axis.right_px));
                        *drawn.borrow_mut() = Some(done);
                    });
                    if result.as_ref().err() != (*error).as_ref() {
                        error.set(result.err());
                    }
                }
            }
        };
        use_effect_with((props.run.clone(), props.span), move |(run, span)| {
            let now = js_sys::Date::now();
            let (last, last_span) = *last_draw.borrow();
            let waited = now - last;
            if waited >= MIN_REDRAW_MS || last_span != *span {
                trailing.borrow_mut().take();
                *last_draw.borrow_mut() = (now, *span);
                draw(run, *span);
            } else if trailing.borrow().is_none() {
                let (run, span, trailing_slot) = (run.clone(), *span, trailing.clone());
                let last_draw = last_draw.clone();
                let timeout = Timeout::new((MIN_REDRAW_MS - waited).ceil() as u32, move || {
                    *last_draw.borrow_mut() = (js_sys::Date::now(), span);
                    draw(&run, span);
                    trailing_slot.borrow_mut().take();
                });
                *trailing.borrow_mut() = Some(timeout);
            }
        });
    }
    let cursor = use_cursor(&canvas, &drawn);
    // The table is built only while it is open: it has a row per simulated hour.
    let table_open = use_state(|| false);
    let on_toggle = {
        let table_open = table_open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            table_open.set(details.open());
        })
    };
    let span = props
        .span
        .unwrap_or_else(|| TickSpan::whole_run(props.run.sim().scenario().run_ticks()));
    let summary_id = format!("{}-summary", props.id);
    let readout_id = format!("{}-readout", props.id);
    // The overlays are placed in CSS pixels over the canvas as it is laid out now (it
    // scales with the column), within the panel.
    let canvas_box = canvas.cast::<HtmlCanvasElement>().map(|c| CssBox {
        left: f64::from(c.offset_left()),
        top: f64::from(c.offset_top()),
        width: f64::from(c.offset_width()),
        height: f64::from(c.offset_height()),
    });
    let overlay = cursor.at.zip(canvas_box).and_then(|(x, canvas_box)| {
        let drawn = drawn.borrow();
        drawn
            .as_ref()
            .map(|d| readout(d, x, canvas_box, &readout_id))
    });
    // Downloads: the chart as drawn, and its hourly numbers over the range shown. The file
    // name is made on the click, not on every redraw while the run plays.
    let file_name = {
        let (run, id) = (props.run.clone(), props.id.clone());
        move |extension: &str| {
            let sim = run.sim();
            format!(
                "{}-seed-{}-{}.{extension}",
                download::file_stem(&sim.scenario().title),
                sim.seed(),
                id.trim_start_matches("chart-")
            )
        }
    };
    let save_png = {
        let (canvas, file_name) = (canvas.clone(), file_name.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url().ok())
            {
                let _ = download::save_url(&file_name("png"), &url);
            }
        })
    };
    let save_csv = {
        let (run, chart) = (props.run.clone(), props.chart);
        Callback::from(move |_: MouseEvent| {
            let csv = hourly(chart, &run.sim(), span).to_csv();
            let _ = download::save(&file_name("csv"), "text/csv", &csv);
        })
    };
    html! {
        <figure class="chart-panel">
            <figcaption>
                <h2>{ &props.title }</h2>
                <p id={summary_id.clone()} class="chart-summary" aria-live="off">{ &props.summary }</p>
            </figcaption>
            <canvas
                id={props.id.clone()}
                ref={canvas}
                width={CANVAS_WIDTH_PX.to_string()}
                height={CANVAS_HEIGHT_PX.to_string()}
                role="img"
                tabindex="0"
                aria-label={format!("{}. Point at it, or press the arrow keys, to read the values at a moment.", props.title)}
                aria-describedby={summary_id}
                onmousemove={cursor.on_move} onmouseleave={cursor.on_leave}
                onkeydown={cursor.on_key} onfocus={cursor.on_focus} onblur={cursor.on_blur}
            />
            { overlay.unwrap_or_default() }
            <ul class="legend" aria-label="Legend">
                { for props.chart.legend(&props.run.sim(), span).into_iter().map(|entry| html! {
                    <li>
                        <span
                            class={classes!("swatch", entry.dashed.then_some("dashed"), entry.dotted.then_some("dotted"))}
                            style={format!("--swatch: {}", entry.css_colour())}
                            aria-hidden="true"
                        />
                        { entry.label }
                    </li>
                }) }
            </ul>
            if let Some(message) = &*error {
                <p class="chart-error" role="alert">{ message }</p>
            }
            <p class="chart-note">{ &props.note }</p>
            <p class="chart-downloads">
                <button type="button" onclick={save_png}>{ "Save as PNG" }</button>
                <button type="button" onclick={save_csv}>{ "Save the numbers (CSV)" }</button>
            </p>
            <details class="data-table" ontoggle={on_toggle}>
                <summary>{ "Data table" }</summary>
                if *table_open {
                    { data_table(props.chart, &props.run, span) }
                }
            </details>
        </figure>
    }
}

fn data_table(chart: ChartKind, run: &RunView, span: TickSpan) -> Html {
    let table = hourly(chart, &run.sim(), span);
    html! {
        <div class="table-scroll" tabindex="0">
            <table>
                <thead>
                    <tr>{ for table.headings.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }</tr>
                </thead>
                <tbody>
                    { for table.rows.iter().map(|row| html! {
                        <tr>{ for row.iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
