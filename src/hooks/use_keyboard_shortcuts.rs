//! Keyboard shortcuts on the play page: space plays/pauses, "." steps, 1–5 set the speed.
//! The same list is shown on screen (`SHORTCUTS`), so the two cannot drift apart.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{PlayAction, PlayState, Speed};

/// (keys, what they do), as shown to the player.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    (".", "step one tick (30 s)"),
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
                    || key_belongs_to_target(event)
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

/// Shortcuts must not steal keys from where the person is typing (a text field, a select,
/// a text area, editable text), nor Space and Enter from a focused button, checkbox, radio
/// or disclosure (they press it). Every other shortcut works wherever the focus is: after
/// a click, the clicked button keeps focus, and the speed keys must still work.
fn key_belongs_to_target(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let presses = matches!(event.key().as_str(), " " | "Enter");
    let tag = element.tag_name().to_ascii_lowercase();
    let input_type = element
        .get_attribute("type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    match tag.as_str() {
        "select" | "textarea" => true,
        "input" => takes_typing(&input_type) || presses,
        "button" | "summary" => presses,
        _ => {
            presses && element.get_attribute("role").is_some_and(|r| r == "button")
                || element
                    .get_attribute("contenteditable")
                    .is_some_and(|v| v != "false")
        }
    }
}

/// Whether an `<input>` of this type takes typed text (where every key is the person's).
fn takes_typing(input_type: &str) -> bool {
    !matches!(
        input_type,
        "button" | "submit" | "reset" | "checkbox" | "radio" | "range" | "color" | "file" | "image"
    )
}

#[cfg(test)]
mod tests {
    use super::{takes_typing, SHORTCUTS};
    use ops_dojo_engine::clock::TICK_LABEL;

    #[test]
    fn the_step_key_names_the_tick_length() {
        let step = SHORTCUTS.iter().find(|(keys, _)| *keys == ".").unwrap();
        assert!(step.1.contains(TICK_LABEL), "{step:?}");
    }

    #[test]
    fn text_inputs_take_every_key_and_buttons_only_their_own() {
        for typing in ["", "text", "number", "search", "url", "email", "password"] {
            assert!(takes_typing(typing), "{typing}");
        }
        for pressing in ["button", "submit", "checkbox", "radio", "range", "file"] {
            assert!(!takes_typing(pressing), "{pressing}");
        }
    }
}
