//! What happened, newest first, stamped with simulated time.

use ops_dojo_engine::{ClockTime, Event, EventKind};
use yew::prelude::*;

use crate::components::alert_feed::severity_class;
use crate::state::RunView;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub run: RunView,
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let sim = props.run.sim();
    let events = sim.events();
    html! {
        <section class="event-log" aria-labelledby="events-title">
            <h2 id="events-title">{ "Event log" }</h2>
            <ol id="event-log" aria-live="polite" tabindex="0" aria-label="Events, newest first">
                if events.is_empty() {
                    <li class="empty">{ "Nothing yet: your actions will show here." }</li>
                }
                { for events.iter().rev().take(50).map(event_item) }
            </ol>
        </section>
    }
}

/// One entry as the log shows it: when, a tag saying what kind of thing, and what happened.
/// The timeline strip lists its moments with it too, so both read the same.
pub fn event_item(event: &Event) -> Html {
    let (class, tag) = match event.kind {
        EventKind::Action => ("action", "Action"),
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
