//! A scenario as the home page lists it: what it teaches (each concept linked to its
//! explanation), how hard, how long, and the seats the learner has finished it in.

use ops_dojo_engine::Scenario;
use yew::prelude::*;

use crate::glossary;
use crate::progress::Finished;
use crate::route::{use_location, wants_projector, Seat};

#[derive(Properties, PartialEq)]
pub struct ScenarioCardProps {
    pub scenario: Scenario,
    pub selected: bool,
    pub on_select: Callback<String>,
    /// The seats this scenario was finished in here, with the most objectives met in one run.
    #[prop_or_default]
    pub done: Vec<(Seat, Finished)>,
}

#[function_component(ScenarioCard)]
pub fn scenario_card(props: &ScenarioCardProps) -> Html {
    let scenario = &props.scenario;
    let id = scenario.id.0.clone();
    let onclick = {
        let on_select = props.on_select.clone();
        let id = id.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(id.clone()))
    };
    let difficulty = scenario.difficulty.0;
    let projector = wants_projector(&use_location().query);
    html! {
        <article
            class={classes!("scenario-card", props.selected.then_some("selected"))}
            data-testid={format!("scenario-card-{id}")}
        >
            <header>
                <h3>{ &scenario.title }</h3>
                <p class="meta">
                    <span aria-label={format!("difficulty {difficulty} of 5")}>
                        { format!("Level {difficulty} of 5") }
                    </span>
                    { " · " }
                    { format!("{} simulated days", scenario.days.0) }
                    { " · " }
                    { format!("for {}", scenario.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(" and ")) }
                </p>
            </header>
            <ul class="concepts" aria-label="Concepts taught">
                { for scenario.concepts.iter().map(|c| match glossary::lookup(c) {
                    Some(entry) => html! { <li><a href={entry.href(projector)}>{ c }</a></li> },
                    None => html! { <li>{ c }</li> },
                }) }
            </ul>
            if !props.done.is_empty() {
                <p class="card-progress" data-testid={format!("card-progress-{id}")}>
                    { "Done: " }
                    { for props.done.iter().enumerate().map(|(i, (seat, f))| html! {
                        <>
                            if i > 0 { { " · " } }
                            <span class="done-seat" data-seat={seat.id()}>
                                { format!("✓ {}", seat.label()) }
                                if f.total > 0 {
                                    { format!(" ({} of {} objectives met)", f.met, f.total) }
                                }
                            </span>
                        </>
                    }) }
                </p>
            }
            <details>
                <summary>{ "Briefing" }</summary>
                { for scenario.briefing.split("\n\n").map(|p| html! { <p>{ p }</p> }) }
            </details>
            <button type="button" aria-pressed={props.selected.to_string()} {onclick}>
                { if props.selected { "✓ Selected" } else { "Select" } }
            </button>
        </article>
    }
}
