//! Keeps the run in this browser as it is played (so a reload resumes it), says so when a
//! run was resumed or a kept one could not be read, and offers "start over" and "save the
//! run as a file".

use ops_dojo_engine::clock::TICKS_PER_HOUR;
use yew::prelude::*;

use crate::components::share_box::ShareBox;
use crate::download;
use crate::route::{use_location, wants_projector, PlayParams};
use crate::saved_runs;
use crate::share_link::Setup;
use crate::state::{Notice, RunView};

/// Simulated time between saves when nobody acts: at most this much play is lost to a
/// crash (an action by the person saves at once).
const SAVE_EVERY_TICKS: u32 = 6 * TICKS_PER_HOUR;

#[derive(Properties, PartialEq)]
pub struct RunKeeperProps {
    pub run: RunView,
    pub params: PlayParams,
    pub playing: bool,
    /// What the page tells the player about the run it opened.
    pub notice: Option<Notice>,
}

#[function_component(RunKeeper)]
pub fn run_keeper(props: &RunKeeperProps) -> Html {
    // (tick, the person's actions) at the last save.
    let saved_at = use_mut_ref(|| (0u32, 0usize));
    let save_error = use_state(|| None::<String>);
    {
        let (run, params, saved_at, save_error) = (
            props.run.clone(),
            props.params.clone(),
            saved_at.clone(),
            save_error.clone(),
        );
        use_effect_with((props.run.version, props.playing), move |&(_, playing)| {
            let sim = run.sim();
            let mine = sim.actions().iter().filter(|a| a.by.bot.is_none()).count();
            let (tick, acted) = *saved_at.borrow();
            // Saved when the person acts, pauses, or the run ends, and every few simulated
            // hours while it plays.
            let due = mine != acted
                || sim.tick() >= tick + SAVE_EVERY_TICKS
                || (!playing && sim.tick() != tick);
            if due && sim.tick() > 0 {
                match saved_runs::save(&params, &sim) {
                    Ok(()) => {
                        *saved_at.borrow_mut() = (sim.tick(), mine);
                        if save_error.is_some() {
                            save_error.set(None);
                        }
                    }
                    Err(error) => {
                        if save_error.is_none() {
                            save_error.set(Some(error));
                        }
                    }
                }
            }
        });
    }
    // Set when the player starts over, so leaving the page does not keep the old run again.
    let discarded = use_mut_ref(|| false);
    // Leaving the page (closing the tab, reloading) keeps the very latest moment too.
    {
        let (run, params, discarded) = (props.run.clone(), props.params.clone(), discarded.clone());
        use_effect_with((), move |()| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                    let sim = run.sim();
                    if sim.tick() > 0 && !*discarded.borrow() {
                        let _ = saved_runs::save(&params, &sim);
                    }
                });
            move || drop(listener)
        });
    }
    let start_over = {
        let params = props.params.clone();
        Callback::from(move |_: MouseEvent| {
            *discarded.borrow_mut() = true;
            saved_runs::forget(&params);
            // The page opens the link again, with nothing kept: a new run.
            let _ = gloo::utils::window().location().reload();
        })
    };
    let file_stem = {
        let sim = props.run.sim();
        format!(
            "{}-seed-{}-{}",
            download::file_stem(&sim.scenario().title),
            sim.seed(),
            props.params.seat.id()
        )
    };
    let save_file = {
        let (run, params, save_error) =
            (props.run.clone(), props.params.clone(), save_error.clone());
        let name = format!("{file_stem}.odrun.txt");
        Callback::from(move |_: MouseEvent| {
            let text = saved_runs::export(&params, &run.sim());
            if let Err(error) = download::save(&name, "text/plain", &format!("{text}\n")) {
                save_error.set(Some(error));
            }
        })
    };
    // A link to the run as it stands when pressed (pressing again hides it).
    let shared = use_state(|| None::<AttrValue>);
    let projector = wants_projector(&use_location().query);
    let share = {
        let (run, params, shared) = (props.run.clone(), props.params.clone(), shared.clone());
        Callback::from(move |_: MouseEvent| {
            shared.set(match *shared {
                Some(_) => None,
                None => Some(saved_runs::export(&params, &run.sim()).into()),
            })
        })
    };
    let download_damaged = |text: std::rc::Rc<str>| {
        let name = format!("{file_stem}-unreadable.odrun.txt");
        Callback::from(move |_: MouseEvent| {
            let _ = download::save(&name, "text/plain", &text);
        })
    };
    html! {
        <section class="run-keeper" aria-label="Keeping your run">
            { match &props.notice {
                Some(Notice::Resumed { at }) => html! {
                    <p id="run-resumed" class="notice" role="status">
                        { format!("Welcome back: your run resumed where you left it ({at}), paused. Press Play to go on, or ") }
                        <button id="start-over" type="button" onclick={start_over.clone()}>{ "start over" }</button>
                    </p>
                },
                Some(Notice::Unreadable { message, text }) => html! {
                    <p id="run-unreadable" class="notice warn" role="alert">
                        { format!("The run kept in this browser could not be resumed ({message}). It is set aside, not deleted, and this is a new run. ") }
                        <button type="button" onclick={download_damaged(text.clone())}>{ "Download the kept data" }</button>
                    </p>
                },
                None => html! {},
            } }
            <p class="keep-line">
                <span class="hint">{ "Your run is kept in this browser as you play: a reload resumes it." }</span>
                <button id="save-run-file" type="button" onclick={save_file}>{ "Save the run as a file" }</button>
                <button id="share-run" type="button" onclick={share} aria-expanded={shared.is_some().to_string()}>
                    { "Share a link to this moment" }
                </button>
                if props.notice.is_none() {
                    <button id="start-over" type="button" onclick={start_over}>{ "Start over" }</button>
                }
            </p>
            if let Some(run) = &*shared {
                <ShareBox id="run-link" setup={Setup::of(&props.params, projector)} run={run.clone()}
                    hint="This link opens the run paused at this moment, with every action so far, in any browser: show a class a situation, or ask someone for help. The receiver's own runs are kept." />
            }
            if let Some(error) = &*save_error {
                <p class="field-error" role="alert">{ format!("The run could not be kept: {error}. Save it as a file to be safe.") }</p>
            }
        </section>
    }
}
