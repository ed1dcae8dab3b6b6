//! What happened, newest first, stamped with simulated time.

use ops_dojo_engine::{Actor, ClockTime, Event, EventKind};
use yew::prelude::*;

use crate::charts::annotations::events_with_actors;
use crate::components::alert_feed::severity_class;
use crate::state::RunView;

pub fn event_log(run: &RunView) -> Html {
    let sim = run.sim();
    let events: Vec<_> = events_with_actors(&sim).collect();
    html! {
        <section class="event-log" aria-labelledby="events-title">
            <h2 id="events-title">{ "Event log" }</h2>
            <ol id="event-log" aria-live="polite" tabindex="0" aria-label="Events, newest first">
                if events.is_empty() {
                    <li class="empty">{ "Nothing yet: your actions will show here." }</li>
                }
                { for events.iter().rev().take(50).map(|(event, actor)| event_item(event, *actor)) }
            </ol>
        </section>
    }
}

/// One entry as the log shows it: when, a tag saying what kind of thing (for an action, who
/// took it: you or the bot), and what happened. The timeline strip lists its moments with
/// it too, so both read the same.
pub fn event_item(event: &Event, actor: Option<Actor>) -> Html {
    let (class, tag) = match event.kind {
        EventKind::Action if actor.is_some_and(|a| a.bot.is_some()) => ("bot-action", "Bot"),
        EventKind::Action => ("action", "You"),
        EventKind::AlertFired(severity) => (severity_class(severity), severity.label()),
        EventKind::AlertResolved(_) => ("resolved", "Resolved"),
        EventKind::Protection => ("protection", "Protection"),
        EventKind::Fault => ("fault", "Fault"),
        EventKind::Autoscaler => ("autoscaler", "Autoscaler"),
        EventKind::Incident => ("incident", "Incident"),
        EventKind::Delivery => ("delivery", "Pipeline"),
        EventKind::Policy => ("policy", "Policy"),
    };
    html! {
        <li class={class}>
            <time>{ ClockTime::at(event.tick).to_string() }</time>
            <span><span class="tag">{ tag }</span>{ " " }{ &event.text }</span>
        </li>
    }
}
