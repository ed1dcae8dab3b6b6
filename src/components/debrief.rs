//! The debrief under the run-complete panel: objectives met or missed, the key moments with
//! what each cost, "what if" notes and a reflection — all from the run's own record.

use ops_dojo_engine::debrief::Debrief as Facts;
use ops_dojo_engine::objectives::{statuses, Progress};
use ops_dojo_engine::ClockTime;
use yew::prelude::*;

use crate::format::{count, percent};
use crate::glossary;
use crate::route::{use_location, wants_projector};
use crate::state::RunView;

/// A concept's name, linked to its entry on the concepts page if it has one. The link opens
/// a new tab: leaving the page would lose the finished run and its debrief.
fn concept_link(concept: &str, projector: bool) -> Html {
    match glossary::lookup(concept) {
        Some(entry) => html! {
            <a href={entry.href(projector)} target="_blank" rel="noopener">
                { concept }<span class="visually-hidden">{ " (opens in a new tab)" }</span>
            </a>
        },
        None => html! { concept },
    }
}

#[derive(Properties, PartialEq)]
pub struct DebriefProps {
    pub run: RunView,
}

#[function_component(Debrief)]
pub fn debrief(props: &DebriefProps) -> Html {
    let sim = props.run.sim();
    let facts = Facts::of(&sim);
    let objectives = statuses(&sim);
    let scenario = sim.scenario();
    let projector = wants_projector(&use_location().query);
    html! {
        <div class="debrief" id="debrief">
            if !objectives.is_empty() {
                <h3>{ "Objectives" }</h3>
                <ul id="debrief-objectives">
                    { for objectives.iter().map(|o| html! {
                        <li>{ format!("{} {} — {} ({})",
                            if o.progress == Progress::Met { "✔" } else { "✘" },
                            o.goal, o.progress.label(), o.measured) }</li>
                    }) }
                </ul>
            }
            <h3>{ "Key moments" }</h3>
            if facts.moments.is_empty() {
                <p>{ "Nothing went wrong enough to list: no incident, fault or defective deploy." }</p>
            } else {
                <ol id="debrief-moments">
                    { for facts.moments.iter().map(|m| html! {
                        <li>
                            <span class="guidance-when">{ ClockTime::at(m.tick).to_string() }</span>{ " " }
                            { &m.what }
                            <span class="moment-effect">{ format!(" — {} failed requests, {} of the error budget {}",
                                count(m.failed_requests), percent(m.budget_spent.abs(), 1),
                                if m.budget_spent >= 0.0 { "spent" } else { "regained" }) }</span>
                        </li>
                    }) }
                </ol>
            }
            if !facts.what_if.is_empty() {
                <h3>{ "What if" }</h3>
                <ul id="debrief-what-if">
                    { for facts.what_if.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
            <h3>{ "How you played" }</h3>
            <p id="debrief-reflection">{ &facts.reflection.text }</p>
            if !scenario.concepts.is_empty() {
                <h3>{ "Concepts in this run" }</h3>
                <dl class="concept-recap" id="debrief-concepts">
                    { for scenario.concepts.iter().map(|c| html! {
                        <>
                            <dt>{ concept_link(c, projector) }</dt>
                            <dd>{ glossary::explain(c).unwrap_or("(explained in the scenario's briefing)") }</dd>
                        </>
                    }) }
                </dl>
                <p class="hint">{ "Each headline number's \"What is this?\" explains its concept with this run's values." }</p>
            }
        </div>
    }
}
