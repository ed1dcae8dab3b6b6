//! Hand in a finished run: its result code (scenario, seed, actions and the outcome
//! claimed) to copy or save, under the player's name. A teacher pastes codes into the Class
//! results page, which replays each one: the code is the proof.

use ops_dojo_engine::share::{ResultCode, MAX_PLAYER_CHARS};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::download;
use crate::route::Seat;
use crate::state::RunView;
use crate::storage;

/// Where the name a player hands in under is remembered, so a class types it once.
const NAME_KEY: &str = "ops-dojo/player-name";

#[derive(Properties, PartialEq)]
pub struct HandInProps {
    pub run: RunView,
    pub seat: Seat,
}

#[function_component(HandIn)]
pub fn hand_in(props: &HandInProps) -> Html {
    let name = use_state(|| storage::read(NAME_KEY).unwrap_or_default());
    let code = use_memo(
        (props.run.clone(), props.seat, (*name).clone()),
        |(run, seat, name)| ResultCode::of(&run.sim(), seat.roles()).by(name).encode(),
    );
    let saved_error = use_state(|| None::<String>);

    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let value = input.value();
            // Remembering the name is a convenience: if storage is off, the code still works.
            let _ = storage::write(NAME_KEY, &value);
            name.set(value);
        })
    };
    let on_save = {
        let (code, saved_error) = (code.clone(), saved_error.clone());
        let stem = {
            let sim = props.run.sim();
            format!(
                "{}-seed-{}",
                download::file_stem(&sim.scenario().title),
                sim.seed()
            )
        };
        let who = (!name.trim().is_empty()).then(|| download::file_stem(&name));
        Callback::from(move |_: MouseEvent| {
            let file = match &who {
                Some(who) => format!("{stem}-{who}.txt"),
                None => format!("{stem}.txt"),
            };
            saved_error.set(download::save(&file, "text/plain", &format!("{code}\n")).err());
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
        area.select();
    });

    html! {
        <section class="hand-in" aria-labelledby="hand-in-title">
            <h3 id="hand-in-title">{ "Hand in your result" }</h3>
            <p class="hint">
                { "Your result code holds the scenario, the seed, every action and the outcome. Replaying it gives exactly your numbers, so your teacher checks it on the " }
                <a href="#/class">{ "Class results page" }</a>
                { ". No account; nothing is sent anywhere." }
            </p>
            <div class="hand-in-name">
                <label for="hand-in-name">{ "Your name (written into the code)" }</label>
                <input id="hand-in-name" type="text" maxlength={MAX_PLAYER_CHARS.to_string()}
                    autocomplete="name" value={(*name).clone()} oninput={on_name} />
            </div>
            <label for="result-code">{ "Result code" }</label>
            <textarea id="result-code" readonly=true rows="3" spellcheck="false"
                value={(*code).clone()} onfocus={select_all} />
            <p class="hand-in-actions">
                <CopyButton id="copy-code" label="Copy code" text={(*code).clone()} />
                <button id="save-code" type="button" onclick={on_save}>{ "Save as a file" }</button>
                <span role="status" class="hand-in-status">
                    { saved_error.as_deref().unwrap_or_default() }
                </span>
            </p>
        </section>
    }
}
