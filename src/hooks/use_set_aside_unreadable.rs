//! A kept run that could not be read is set aside (kept under its own key, offered for
//! download) in an effect once the play page is up, never while its state is set up.

use yew::prelude::*;

use crate::route::PlayParams;
use crate::saved_runs;
use crate::state::{Notice, PlayState};

#[hook]
pub fn use_set_aside_unreadable(state: &UseReducerHandle<PlayState>, params: &PlayParams) {
    let unreadable = match &state.notice {
        Some(Notice::Unreadable { text, .. }) => Some(text.to_string()),
        _ => None,
    };
    let params = params.clone();
    use_effect_with(unreadable, move |unreadable| {
        if let Some(text) = unreadable {
            saved_runs::set_aside_unreadable(&params, text);
        }
    });
}
