//! The scenario's objectives with their live status: what the run asks, and where it stands.

use ops_dojo_engine::objectives::{statuses, Progress};
use yew::prelude::*;

use crate::state::RunView;

pub fn objectives(run: &RunView) -> Html {
    let sim = run.sim();
    let list = statuses(&sim);
    if list.is_empty() {
        return html! {};
    }
    html! {
        <section class="objectives" aria-labelledby="objectives-title" id="objectives">
            <h2 id="objectives-title">{ "Objectives" }</h2>
            <ul>
                { for list.iter().map(|o| {
                    // A mark and a word, never colour alone.
                    let (mark, class) = match o.progress {
                        Progress::Met => ("✔", "met"),
                        Progress::OnTrack => ("●", "on-track"),
                        Progress::Behind => ("◐", "behind"),
                        Progress::Missed => ("✘", "missed"),
                    };
                    html! {
                        <li class={classes!("objective", class)}>
                            <span class="objective-mark" aria-hidden="true">{ mark }</span>
                            <span>
                                <strong>{ &o.goal }</strong>
                                <span class="objective-state">{ format!(" — {}: {}", o.progress.label(), o.measured) }</span>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
