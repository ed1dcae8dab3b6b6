//! The one button every action on the run goes through: greyed out exactly when the engine
//! would refuse the action, with the engine's reason as its tooltip (the engine is asked
//! once, here, so no screen can disagree with it).

use ops_dojo_engine::Action;
use yew::prelude::*;

use crate::state::RunView;

/// A button with id `id` that takes `action`; `pressed` makes it a toggle showing whether
/// its switch is on now.
pub fn action_button(
    run: &RunView,
    on_act: &Callback<Action>,
    id: AttrValue,
    action: Action,
    pressed: Option<bool>,
    label: AttrValue,
) -> Html {
    let refused = run.refusal(action);
    let disabled = refused.is_some();
    let onclick = on_act.reform(move |_: MouseEvent| action);
    let class = pressed.map(|_| "toggle");
    let pressed = pressed.map(|on| AttrValue::Static(if on { "true" } else { "false" }));
    html! {
        <button {id} {class} aria-pressed={pressed} {disabled} title={refused} {onclick}>{ label }</button>
    }
}
