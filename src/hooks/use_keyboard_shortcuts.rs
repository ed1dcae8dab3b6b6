//! Keyboard shortcuts on the play page: space plays/pauses, "." steps, 1–5 set the speed.
//! The same list is shown on screen (`SHORTCUTS`), so the two cannot drift apart.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{PlayAction, PlayState, Speed};

/// (keys, what they do), as shown to the player.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    (".", "step one tick (10 s)"),
    ("N", "skip to the next event"),
    ("1 – 5", "speed: 1 min/s … 1 day/s"),
];

#[hook]
pub fn use_keyboard_shortcuts(state: &UseReducerHandle<PlayState>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        // Not passive: Space must not also scroll the page, so the handler prevents default.
        let options = EventListenerOptions::enable_prevent_default();
        let document = gloo::utils::document();
        let listener =
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if event.ctrl_key()
                    || event.meta_key()
                    || event.alt_key()
                    || typing_in_a_field(event)
                {
                    return;
                }
                let action = match event.key().as_str() {
                    " " => Some(PlayAction::TogglePlaying),
                    "." => Some(PlayAction::Step),
                    "n" | "N" => Some(PlayAction::SkipToNextEvent),
                    digit @ ("1" | "2" | "3" | "4" | "5") => {
                        let index = digit.parse::<usize>().unwrap_or(1) - 1;
                        Speed::ALL.get(index).map(|s| PlayAction::SetSpeed(*s))
                    }
                    _ => None,
                };
                if let Some(action) = action {
                    event.prevent_default();
                    dispatcher.dispatch(action);
                }
            });
        move || drop(listener)
    });
}

/// Shortcuts must not steal keys from inputs or from a focused button's own Space.
fn typing_in_a_field(event: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = event.target() else {
        return false;
    };
    let Ok(element) = target.dyn_into::<web_sys::Element>() else {
        return false;
    };
    matches!(
        element.tag_name().to_ascii_lowercase().as_str(),
        "input" | "select" | "textarea" | "button"
    )
}
