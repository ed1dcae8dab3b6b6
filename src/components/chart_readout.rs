//! The hover read-out of a chart: a vertical cursor line and a small box with the exact
//! values at that moment, following the pointer or moved with the arrow keys.
//!
//! Both are DOM elements laid over the canvas: moving the pointer re-renders them and
//! nothing else; the chart is redrawn only when the run changes.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::axis::moment;
use crate::charts::Drawn;
use crate::palette::css_colour;

/// Where the cursor is and the handlers that move it.
pub struct Cursor {
    /// Canvas x of the cursor, canvas pixels; None while hidden.
    pub at: Option<f64>,
    pub on_move: Callback<MouseEvent>,
    pub on_leave: Callback<MouseEvent>,
    pub on_key: Callback<KeyboardEvent>,
    pub on_focus: Callback<FocusEvent>,
    pub on_blur: Callback<FocusEvent>,
}

/// A cursor over `canvas`, in the pixels of what was drawn on it.
#[hook]
pub fn use_cursor(canvas: &NodeRef, drawn: &Rc<RefCell<Option<Drawn>>>) -> Cursor {
    let at = use_state(|| None::<f64>);
    let on_move = {
        let (at, canvas) = (at.clone(), canvas.clone());
        Callback::from(move |e: MouseEvent| {
            // The overlays ignore the pointer, so the event is the canvas's own; scale its
            // offset from CSS pixels to the canvas's.
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                let css_width = f64::from(canvas.client_width().max(1));
                at.set(Some(
                    f64::from(e.offset_x()) * f64::from(canvas.width()) / css_width,
                ));
            }
        })
    };
    let on_leave = {
        let at = at.clone();
        Callback::from(move |_: MouseEvent| at.set(None))
    };
    let on_blur = {
        let at = at.clone();
        Callback::from(move |_: FocusEvent| at.set(None))
    };
    // Focus puts the cursor on the newest values, where a reader usually starts.
    let on_focus = {
        let (at, drawn) = (at.clone(), drawn.clone());
        Callback::from(move |_: FocusEvent| {
            if at.is_none() {
                at.set(drawn.borrow().as_ref().map(newest_x));
            }
        })
    };
    let on_key = {
        let (at, drawn) = (at.clone(), drawn.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(drawn) = &*drawn.borrow() else {
                return;
            };
            let axis = drawn.axis;
            let here = (*at).unwrap_or_else(|| newest_x(drawn));
            // One pixel column per press (ten with Shift): each column is one drawn value.
            let step = if e.shift_key() { 10.0 } else { 1.0 };
            let next = match e.key().as_str() {
                "ArrowLeft" => Some(here - step),
                "ArrowRight" => Some(here + step),
                "Home" => Some(axis.left_px),
                "End" => Some(newest_x(drawn)),
                "Escape" => None,
                _ => return,
            };
            e.prevent_default();
            at.set(next.map(|x| x.clamp(axis.left_px, axis.right_px)));
        })
    };
    Cursor {
        at: *at,
        on_move,
        on_leave,
        on_key,
        on_focus,
        on_blur,
    }
}

/// Canvas x of the newest tick drawn (or the span's start before any).
fn newest_x(drawn: &Drawn) -> f64 {
    let axis = drawn.axis;
    let newest = drawn.simulated.min(axis.span.end).saturating_sub(1);
    axis.x_px(f64::from(newest.max(axis.span.start)) + 0.5)
}

/// Where the canvas sits in its panel, CSS pixels (it scales with the column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CssBox {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// The cursor line and the read-out box at canvas x, placed over the canvas at `canvas`,
/// or nothing outside the plot.
pub fn readout(drawn: &Drawn, x_px: f64, canvas: CssBox, id: &str) -> Html {
    let axis = drawn.axis;
    let Some(tick) = axis.tick_at(x_px) else {
        return Html::default();
    };
    let x = canvas.left + axis.x_percent(x_px) / 100.0 * canvas.width;
    let top = canvas.top + axis.y_percent(axis.top_px) / 100.0 * canvas.height;
    let bottom = canvas.top + axis.y_percent(axis.bottom_px) / 100.0 * canvas.height;
    let line = format!(
        "left: {x:.1}px; top: {top:.1}px; height: {:.1}px",
        bottom - top
    );
    // The box sits beside the line, on the side with more room.
    let place = if x > canvas.left + canvas.width * 0.55 {
        format!("right: calc(100% - {:.1}px); top: {top:.1}px", x - 8.0)
    } else {
        format!("left: {:.1}px; top: {top:.1}px", x + 8.0)
    };
    let values = drawn.values_at(tick);
    let simulated = values.iter().any(|(_, v)| v.is_some());
    let minutes = drawn.column_ticks() * ops_dojo_engine::clock::TICK_SECONDS / 60;
    html! {
        <>
            <div class="chart-cursor" style={line} aria-hidden="true" />
            <div id={id.to_string()} class="chart-readout" style={place} role="status">
                <p class="readout-time"><time>{ moment(tick) }</time></p>
                if simulated {
                    <ul>
                        { for values.into_iter().map(|(series, value)| html! {
                            <li>
                                <span class="readout-dot" style={format!("--swatch: {}", css_colour(series.colour))}
                                    aria-hidden="true" />
                                <span class="readout-label">{ &series.label }</span>
                                <strong class="readout-value">{ value.unwrap_or_else(|| "—".to_string()) }</strong>
                            </li>
                        }) }
                    </ul>
                    if minutes > 1 {
                        <p class="readout-note">{ format!("each value covers {minutes} min") }</p>
                    }
                } else {
                    <p class="readout-note">{ "not simulated yet" }</p>
                }
            </div>
        </>
    }
}
