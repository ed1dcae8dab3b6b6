//! Home: pick a scenario, a role and a seed, then start.

use ops_dojo_engine::{catalog, Policy, Role};
use web_sys::HtmlInputElement;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::scenario_card::ScenarioCard;
use crate::own_scenarios;
use crate::route::{self, use_location, wants_projector, PlayQuery, Route, Seat, DEFAULT_PARTNER};
use crate::saved_runs;
use gloo::file::callbacks::{read_as_text, FileReader};
use gloo::file::File as GlooFile;

#[derive(Properties, PartialEq, Default)]
pub struct HomeProps {
    /// Why the player landed here instead of in a run (a bad link), if so.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A fresh seed for a new run; the player can always type their own (a class shares one).
fn random_seed() -> u64 {
    (js_sys::Math::random() * 1_000_000.0) as u64
}

#[function_component(Home)]
pub fn home(props: &HomeProps) -> Html {
    // Bumped when a teacher loads a scenario, so the list is read again.
    let loaded = use_state(|| 0u32);
    let mut scenarios: Vec<_> = catalog::all().into_iter().filter_map(Result::ok).collect();
    scenarios.extend(own_scenarios::all());
    let _ = *loaded;
    let first = scenarios
        .first()
        .map(|s| s.id.0.clone())
        .unwrap_or_default();
    let selected = use_state(|| first);
    let role = use_state(|| Seat::One(Role::Sre));
    let partner = use_state(|| DEFAULT_PARTNER);
    let seed_text = use_state(|| random_seed().to_string());
    let projector = wants_projector(&use_location().query);

    let seed = seed_text.trim().parse::<u64>();
    let seed_error = seed
        .is_err()
        .then(|| format!("The seed must be a whole number from 0 to {}.", u64::MAX));

    let on_select = {
        let selected = selected.clone();
        Callback::from(move |id: String| selected.set(id))
    };
    let on_seed = {
        let seed_text = seed_text.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            seed_text.set(input.value());
        })
    };
    let on_new_seed = {
        let seed_text = seed_text.clone();
        Callback::from(move |_: MouseEvent| seed_text.set(random_seed().to_string()))
    };
    let on_start = {
        let (selected, role, partner) = (selected.clone(), role.clone(), partner.clone());
        let seed = seed.clone().ok();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(seed) = seed {
                let query = PlayQuery {
                    profile: projector.then_some("projector"),
                    ..PlayQuery::new(&selected, *role, *partner, seed)
                };
                route::go(Route::Play, &query.to_query());
            }
        })
    };
    let on_partner = {
        let partner = partner.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Some(policy) = Policy::parse(&select.value()) {
                    partner.set(policy);
                }
            }
        })
    };
    let load_message = use_state(|| None::<Result<String, String>>);
    // The file reader must outlive the callback that started it.
    let reader = use_mut_ref(|| None::<FileReader>);
    let read_file = {
        let (selected, loaded, load_message, reader) = (
            selected.clone(),
            loaded.clone(),
            load_message.clone(),
            reader.clone(),
        );
        Callback::from(move |file: web_sys::File| {
            let file = GlooFile::from(file);
            let name = file.name();
            let (selected, loaded, load_message) =
                (selected.clone(), loaded.clone(), load_message.clone());
            let task = read_as_text(&file, move |text| {
                let result = text
                    .map_err(|e| format!("{name}: cannot read the file: {e}"))
                    .and_then(|text| own_scenarios::add(&name, &text));
                match result {
                    Ok(scenario) => {
                        load_message.set(Some(Ok(format!(
                            "Loaded \"{}\" from {name}: it is selected below, and its link works in this browser.",
                            scenario.title
                        ))));
                        selected.set(scenario.id.0.clone());
                        loaded.set(*loaded + 1);
                    }
                    Err(error) => load_message.set(Some(Err(error))),
                }
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let on_file = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file.emit(file);
            }
            // The same file can be chosen again after fixing it.
            input.set_value("");
        })
    };
    let on_drop = {
        let read_file = read_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                read_file.emit(file);
            }
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let run_file_error = use_state(|| None::<String>);
    let on_run_file = {
        let (reader, run_file_error) = (reader.clone(), run_file_error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let file = GlooFile::from(file);
            let name = file.name();
            let run_file_error = run_file_error.clone();
            let task = read_as_text(&file, move |text| {
                let opened = text
                    .map_err(|e| format!("cannot read the file: {e}"))
                    .and_then(|text| saved_runs::import(&text));
                match opened {
                    Ok(query) => route::go(Route::Play, &query),
                    Err(error) => run_file_error.set(Some(format!("{name}: {error}"))),
                }
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let role_choice = |r: Seat, blurb: &'static str| {
        let role = role.clone();
        let id = format!("role-{}", r.id());
        html! {
            <div class={classes!("role-option", (*role == r).then_some("selected"))}>
                <input type="radio" name="role" id={id.clone()} value={r.id()}
                    checked={*role == r}
                    onchange={Callback::from(move |_| role.set(r))} />
                <label for={id}>
                    <strong>{ r.label() }</strong>
                    <span>{ blurb }</span>
                </label>
            </div>
        }
    };

    html! {
        <main class="home">
            <header class="hero">
                <h1>{ "Ops Dojo" }</h1>
                <p class="tagline">{ "Learn SRE and DevOps by doing both jobs against the same simulated service." }</p>
            </header>
            if let Some(error) = &props.error {
                <div id="route-error" class="route-error" role="alert">
                    <strong>{ "That link did not open a run. " }</strong>{ error }
                </div>
            }
            <form class="setup" onsubmit={on_start}>
                <section aria-labelledby="scenarios-title">
                    <h2 id="scenarios-title">{ "1. Pick a scenario" }</h2>
                    <div class="cards">
                        { for scenarios.iter().map(|s| html! {
                            <ScenarioCard scenario={s.clone()} selected={*selected == s.id.0} on_select={on_select.clone()} />
                        }) }
                    </div>
                </section>
                <section aria-labelledby="own-title" class="own-scenario">
                    <h2 id="own-title">{ "…or load your own scenario" }</h2>
                    <div class="drop-zone" id="scenario-drop" ondrop={on_drop} ondragover={on_drag_over}>
                        <label for="scenario-file">{ "Choose a scenario file (.toml), or drop it here" }</label>
                        <input id="scenario-file" type="file" accept=".toml,text/plain" onchange={on_file} />
                        <p class="hint">{ "Teachers write scenarios as plain files: see the scenario format reference. The file is checked here and kept in this browser only." }</p>
                    </div>
                    { match &*load_message {
                        Some(Ok(text)) => html! { <p id="scenario-load-result" class="load-ok" role="status">{ text }</p> },
                        Some(Err(error)) => html! { <p id="scenario-load-result" class="field-error" role="alert">{ error }</p> },
                        None => html! {},
                    } }
                </section>
                <section aria-labelledby="roles-title">
                    <h2 id="roles-title">{ "2. Pick a role" }</h2>
                    <fieldset class="roles">
                        <legend class="visually-hidden">{ "Role" }</legend>
                        { role_choice(Seat::One(Role::Devops), "Ship features through the delivery pipeline: pick deploy strategies, spend engineer-hours, live with change failures.") }
                        { role_choice(Seat::One(Role::Sre), "Keep the service inside its SLO: answer pages, add capacity, roll back, fight toil, freeze deploys when the budget is gone.") }
                        { role_choice(Seat::Both, "You build it, you run it: ship the features and carry the pager.") }
                    </fieldset>
                    if let Seat::One(mine) = *role {
                        <div class="partner-row">
                            <label for="partner-policy">{ format!("A bot plays {}:", if mine == Role::Sre { "DevOps" } else { "SRE" }) }</label>
                            <select id="partner-policy" onchange={on_partner}>
                                { for Policy::ALL.iter().map(|p| html! {
                                    <option value={p.id()} selected={*partner == *p}>{ format!("{} — {}", p.label(), policy_blurb(*p)) }</option>
                                }) }
                            </select>
                        </div>
                    }
                </section>
                <section aria-labelledby="seed-title">
                    <h2 id="seed-title">{ "3. Seed" }</h2>
                    <p class="hint">{ "The seed fixes the traffic and every random event: the same seed gives everyone in a class the same run." }</p>
                    <div class="seed-row">
                        <label for="seed-input">{ "Seed" }</label>
                        <input id="seed-input" type="text" inputmode="numeric" value={(*seed_text).clone()}
                            oninput={on_seed} aria-invalid={seed_error.is_some().to_string()}
                            aria-describedby="seed-error" />
                        <button type="button" onclick={on_new_seed}>{ "New seed" }</button>
                    </div>
                    <p id="seed-error" class="field-error" role="status">{ seed_error.clone().unwrap_or_default() }</p>
                </section>
                <button id="start-run" type="submit" class="primary big" disabled={seed_error.is_some() || selected.is_empty()}>
                    { "Start the run ▶" }
                </button>
            </form>
            <footer class="home-footer">
                <div class="resume-file">
                    <label for="run-file">{ "Go on with a run saved as a file:" }</label>
                    <input id="run-file" type="file" accept=".txt,text/plain" onchange={on_run_file} />
                    if let Some(error) = &*run_file_error {
                        <p id="run-file-error" class="field-error" role="alert">{ error }</p>
                    }
                </div>
                <p>
                    <strong>{ "Teachers: " }</strong>
                    <a id="class-results-link" href="#/class">{ "Class results" }</a>
                    { " — paste the result codes your class hands in; each one is replayed and checked." }
                </p>
                if projector {
                    <a href="#/">{ "Leave projector mode" }</a>
                } else {
                    <a href="#/?profile=projector">{ "Projector mode" }</a>
                    { " — large type and strong contrast for a classroom screen." }
                }
            </footer>
        </main>
    }
}

/// One line on how a bot plays, for the partner picker.
fn policy_blurb(policy: Policy) -> &'static str {
    match policy {
        Policy::ShipFast => "ships everything at once, scales late, never freezes",
        Policy::Balanced => "canaries, rolls back what pages, scales with the load",
        Policy::BudgetGuard => "protects the error budget first, freezes deploys early",
        Policy::HandsOff => "does nothing at all",
    }
}
