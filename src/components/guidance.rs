//! The scenario's guidance: the newest step that its trigger showed, with its hint behind a
//! click (it guides without giving the answer away), and the earlier steps below.

use ops_dojo_engine::ClockTime;
use yew::prelude::*;

use crate::state::RunView;

pub fn guidance(run: &RunView) -> Html {
    let sim = run.sim();
    let shown = sim.guidance();
    let Some(((at, newest), earlier)) = shown.split_last() else {
        return html! {};
    };
    html! {
        <section class="guidance" aria-labelledby="guidance-title" id="guidance">
            <h2 id="guidance-title">{ "Guide" }</h2>
            <div aria-live="polite" id="guidance-now">
                <p class="guidance-when">{ ClockTime::at(*at).to_string() }</p>
                <p>{ &newest.text }</p>
                if let Some(hint) = &newest.hint {
                    // Keyed by the step, so a new step's hint starts closed.
                    <details class="hint" key={at.to_string()}>
                        <summary>{ "Hint" }</summary>
                        <p>{ hint }</p>
                    </details>
                }
            </div>
            if !earlier.is_empty() {
                <details class="guidance-earlier">
                    <summary>{ format!("Earlier steps ({})", earlier.len()) }</summary>
                    <ol>
                        { for earlier.iter().map(|(at, step)| html! {
                            <li><span class="guidance-when">{ ClockTime::at(*at).to_string() }</span>{ " " }{ &step.text }</li>
                        }) }
                    </ol>
                </details>
            }
        </section>
    }
}
