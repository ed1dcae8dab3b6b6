//! The simulated clock and the controls of time: play/pause, step, speed.

use ops_dojo_engine::clock::{ClockTime, TICK_SECONDS};
use yew::prelude::*;

use crate::hooks::use_keyboard_shortcuts::SHORTCUTS;
use crate::state::{PlayAction, RunView, Speed};

pub struct TimeControlsProps {
    pub run: RunView,
    pub playing: bool,
    pub speed: Speed,
    /// Moves time: play/pause, a step, a skip, a speed.
    pub on_control: Callback<PlayAction>,
}

pub fn time_controls(props: &TimeControlsProps) -> Html {
    let sim = props.run.sim();
    let finished = sim.is_finished();
    let run_ticks = sim.scenario().run_ticks();
    let progress = f64::from(sim.tick()) / f64::from(run_ticks) * 100.0;
    let clock_text = if finished {
        let last = ClockTime::at(run_ticks.saturating_sub(1));
        format!("Day {} ({}) · end of run", last.day, last.weekday())
    } else {
        sim.clock().to_string()
    };
    let dispatch =
        |action: PlayAction| props.on_control.reform(move |_: MouseEvent| action.clone());
    html! {
        <section class="time-controls" aria-label="Simulated time">
            <div class="clock">
                <span class="clock-label">{ "Simulated time" }</span>
                <output id="sim-clock" class="clock-time">{ clock_text }</output>
            </div>
            <div class="buttons">
                <button
                    id="btn-play-pause"
                    class="primary"
                    aria-pressed={props.playing.to_string()}
                    disabled={finished}
                    onclick={dispatch(PlayAction::TogglePlaying)}
                >
                    { if props.playing { "Pause" } else { "▶ Play" } }
                </button>
                <button
                    id="btn-step"
                    disabled={props.playing || finished}
                    title={format!("Simulate one tick ({TICK_SECONDS} s)")}
                    onclick={dispatch(PlayAction::Step)}
                >
                    { "Step" }
                </button>
                <button
                    id="btn-skip"
                    disabled={finished}
                    title="Run until the next alert or event, at most one simulated day, then pause"
                    onclick={dispatch(PlayAction::SkipToNextEvent)}
                >
                    { "Skip to next event" }
                </button>
                <div class="speeds" role="group" aria-label="Speed">
                    { for Speed::ALL.iter().map(|&speed| html! {
                        <button
                            data-speed={speed.id()}
                            aria-pressed={(props.speed == speed).to_string()}
                            onclick={dispatch(PlayAction::SetSpeed(speed))}
                        >
                            { speed.label() }
                        </button>
                    }) }
                </div>
            </div>
            <div class="progress" role="progressbar" aria-label="Run progress"
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{progress:.0}")}>
                <div class="progress-fill" style={format!("width: {progress:.2}%")} />
            </div>
            <p class="shortcuts">
                { "Keys: " }
                { for SHORTCUTS.iter().map(|(keys, what)| html! {
                    <span><kbd>{ *keys }</kbd>{ " " }{ *what }</span>
                }) }
            </p>
        </section>
    }
}
