//! Real time drives simulated time here, and only here (a fixed-timestep accumulator).
//!
//! Every frame the elapsed real time times the speed gives a (fractional) number of ticks;
//! whole ticks are simulated, the fraction is carried to the next frame. Long pauses (a
//! hidden tab) are capped so the page never tries to catch up a whole day at once.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::state::{PlayAction, PlayState};

/// Milliseconds between frames (about 30 frames per second).
const FRAME_MS: u32 = 33;
/// Most real time one frame may account for, milliseconds.
const MAX_FRAME_GAP_MS: f64 = 250.0;

#[hook]
pub fn use_sim_clock(state: &UseReducerHandle<PlayState>) {
    let dispatcher = state.dispatcher();
    use_effect_with((state.playing, state.speed), move |&(playing, speed)| {
        let interval = playing.then(|| {
            let mut last = js_sys::Date::now();
            let mut carried = 0.0_f64;
            Interval::new(FRAME_MS, move || {
                let now = js_sys::Date::now();
                let elapsed_ms = (now - last).clamp(0.0, MAX_FRAME_GAP_MS);
                last = now;
                carried += elapsed_ms / 1000.0 * speed.ticks_per_second();
                let ticks = carried.floor();
                carried -= ticks;
                if ticks >= 1.0 {
                    dispatcher.dispatch(PlayAction::Advance(ticks as u32));
                }
            })
        });
        // Dropping the interval stops it: pausing or changing speed restarts the clock.
        move || drop(interval)
    });
}
