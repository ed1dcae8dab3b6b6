//! One learning track on the home page: its scenarios in order, each marked done or not in
//! the track's role, what each teaches for that job, and a "Next up" button that starts the
//! first one not done yet.

use ops_dojo_engine::catalog;
use yew::prelude::*;

use crate::learning_path::TRACKS;
use crate::progress::Progress;
use crate::route::{PlayQuery, Route, Seat, DEFAULT_PARTNER};

pub struct LearningTrackProps {
    /// Index into `learning_path::TRACKS`.
    pub track: usize,
    pub progress: Progress,
    /// The seed the home page shows (the next run starts with it).
    pub seed: u64,
    pub projector: bool,
}

pub fn learning_track(props: &LearningTrackProps) -> Html {
    let Some(track) = TRACKS.get(props.track) else {
        return Html::default();
    };
    let role = track.role;
    let next = track.next_up(&props.progress);
    let done = track.done(&props.progress);
    let id = format!("track-{}", role.id());
    let next_href = next.map(|step| {
        let query = PlayQuery {
            profile: props.projector.then_some("projector"),
            ..PlayQuery::new(step.scenario, Seat::One(role), DEFAULT_PARTNER, props.seed)
        };
        Route::Play.href(&query.to_query())
    });
    let title_of = |id: &str| {
        catalog::load(id)
            .and_then(Result::ok)
            .map_or_else(|| id.to_string(), |s| s.title)
    };
    html! {
        <section class="track" id={id.clone()} aria-labelledby={format!("{id}-title")}>
            <h3 id={format!("{id}-title")}>{ track.title }</h3>
            <p class="track-progress">{ format!("{done} of {} done as {}", track.steps.len(), role.label()) }</p>
            <ol class="track-steps">
                { for track.steps.iter().map(|step| {
                    let finished = props.progress.has_played(step.scenario, role);
                    let is_next = next.is_some_and(|n| n.scenario == step.scenario);
                    html! {
                        <li class={classes!(finished.then_some("done"), is_next.then_some("next"))}
                            data-scenario={step.scenario}>
                            <strong>{ title_of(step.scenario) }</strong>
                            { if finished { " — done ✓" } else if is_next { " — next up" } else { "" } }
                            <span class="track-teaches">{ step.teaches }</span>
                        </li>
                    }
                }) }
            </ol>
            { match (next, next_href) {
                (Some(step), Some(href)) => html! {
                    <a class="button primary" id={format!("{id}-next")} href={href}>
                        { format!("Next up: {} as {} ▶", title_of(step.scenario), role.label()) }
                    </a>
                },
                _ => html! { <p class="track-complete">{ format!("Every scenario on this track is done as {}. Try them in the other seat, or on new seeds.", role.label()) }</p> },
            } }
        </section>
    }
}
