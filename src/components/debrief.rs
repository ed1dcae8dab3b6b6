//! The debrief under the run-complete panel: objectives met or missed, the key moments with
//! what each cost, "what if" notes and a reflection — all from the run's own record.

use ops_dojo_engine::debrief::Debrief as Facts;
use ops_dojo_engine::objectives::{statuses, Progress};
use ops_dojo_engine::{ClockTime, Role};
use yew::prelude::*;

use crate::components::replays::Replays;
use crate::components::to_production::ToProduction;
use crate::format::{count, percent};
use crate::glossary;
use crate::progress;
use crate::route::{use_location, wants_projector, Route, Seat};
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
    /// The seat the person played: the reflection speaks in its language.
    pub seat: Seat,
}

/// How the person played, in the language of the seat they sat in. Both seats keep the
/// engine's words on the split between the two jobs.
fn seat_reflection(seat: Seat, reflection: &ops_dojo_engine::debrief::Reflection) -> String {
    match seat {
        Seat::One(Role::Sre) => match reflection.sre_actions {
            0 => "As the on-call SRE you let the run play out: nobody scaled, protected or answered the pager, so the numbers above are what the service does on its own beside the DevOps bot. In the job, the first call when something breaks is yours. Try again and act on one page.".to_string(),
            n => format!("As the on-call SRE you took {n} operations action{}: capacity, protections, the pager. That is the SRE's day: methodical work against clear targets, and being the first call when something breaks. Was there a moment you wanted to stop a release?", if n == 1 { "" } else { "s" }),
        },
        Seat::One(Role::Devops) => match reflection.devops_actions {
            0 => "As the DevOps engineer you shipped nothing: the backlog waited and the SRE bot ran the service. In the job, choosing what goes out and how is yours. Try again and ship one feature with a canary.".to_string(),
            n => format!("As the DevOps engineer you took {n} delivery action{}: what to ship and how. That is the DevOps day: many hats, trade-offs with colleagues, changes flowing to users. After each release, did you feel the pull to watch the charts?", if n == 1 { "" } else { "s" }),
        },
        Seat::Both => reflection.text.clone(),
    }
}

#[function_component(Debrief)]
pub fn debrief(props: &DebriefProps) -> Html {
    let sim = props.run.sim();
    let facts = Facts::of(&sim);
    let objectives = statuses(&sim);
    let scenario = sim.scenario();
    let projector = wants_projector(&use_location().query);
    let profile = if projector { "profile=projector" } else { "" };
    // "Your two jobs" is offered once runs in both roles are finished: this one counts
    // (its progress is noted just after it ends), with those noted before.
    let played = use_memo(props.seat, |seat| {
        let kept = progress::load().progress;
        Role::ALL.map(|role| seat.plays(role) || kept.has_played_anything(role))
    });
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
            <Replays run={props.run.clone()} />
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
            <p id="debrief-reflection">{ seat_reflection(props.seat, &facts.reflection) }</p>
            <p class="debrief-roles">
                <a id="debrief-roles-link" href={Route::Roles.href(profile)} target="_blank" rel="noopener">
                    { "The two jobs compared" }<span class="visually-hidden">{ " (opens in a new tab)" }</span>
                </a>
                { ": a day in each, who tends to enjoy which, how to start, pay and outlook." }
            </p>
            if played.iter().all(|p| *p) {
                <p class="debrief-you">
                    <a id="debrief-you-link" href={Route::You.href(profile)} target="_blank" rel="noopener">
                        { "Your two jobs" }<span class="visually-hidden">{ " (opens in a new tab)" }</span>
                    </a>
                    { ": you have finished runs in both roles. See what your runs show about each, fact by fact." }
                </p>
            }
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
            <ToProduction scenario={scenario.clone()} run={Some(props.run.clone())} />
        </div>
    }
}
