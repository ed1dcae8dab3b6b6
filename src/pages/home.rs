//! Home: pick a scenario (a built-in one, or a teacher's from a file or a URL), a role and a
//! seed, then start.

use ops_dojo_engine::{catalog, Policy, Role};
use web_sys::HtmlInputElement;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::learning_track::{learning_track, LearningTrackProps};
use crate::components::scenario_card::ScenarioCard;
use crate::components::share_box::ShareBox;
use crate::download;
use crate::learning_path::TRACKS;
use crate::own_scenarios;
use crate::progress;
use crate::roles::LIVE_IT_SEED;
use crate::route::{self, use_location, wants_projector, PlayQuery, Route, Seat, DEFAULT_PARTNER};
use crate::saved_runs;
use crate::share_link::Setup;
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
    let location = use_location();
    let projector = wants_projector(&location.query);

    // Progress is read once per visit of the page (and again after a progress file is
    // opened): kept runs finish on the play page, never while this page shows.
    let progress_version = use_state(|| 0u32);
    let progress_read = use_memo(*progress_version, |_| progress::load());
    // Kept progress that cannot be read is set aside at once (see `progress`).
    use_effect_with(progress_read.problem.is_some(), |&problem| {
        if problem {
            progress::set_aside_damaged();
        }
    });
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
    let show_class_link = use_state(|| false);
    let toggle_class_link = {
        let show_class_link = show_class_link.clone();
        Callback::from(move |_: MouseEvent| show_class_link.set(!*show_class_link))
    };
    let class_setup = match (&seed, *show_class_link) {
        (Ok(seed), true) if !selected.is_empty() => Some(Setup {
            scenario: (*selected).clone(),
            seat: *role,
            partner: *partner,
            seed: *seed,
            projector: false,
        }),
        _ => None,
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
    let load_message = use_state(|| None::<LoadMessage>);
    // A file's or a URL's text (or why it could not be read), checked and kept the same way
    // whatever it came from: (where it came from, its text, whether that is a URL).
    let accept = {
        let (selected, loaded, load_message) =
            (selected.clone(), loaded.clone(), load_message.clone());
        Callback::from(
            move |(source, text, from_url): (String, Result<String, String>, bool)| match text
                .and_then(|text| own_scenarios::add(&source, &text))
            {
                Ok(scenario) => {
                    let share = from_url.then(|| {
                        let page = gloo::utils::window().location().href().unwrap_or_default();
                        own_scenarios::load_link(&page, &source)
                    });
                    load_message.set(Some(LoadMessage::Loaded {
                        title: scenario.title.clone(),
                        source,
                        share,
                    }));
                    selected.set(scenario.id.0.clone());
                    loaded.set(*loaded + 1);
                }
                Err(error) => load_message.set(Some(LoadMessage::Failed(error))),
            },
        )
    };
    // The file reader must outlive the callback that started it.
    let reader = use_mut_ref(|| None::<FileReader>);
    let read_file = {
        let (accept, reader) = (accept.clone(), reader.clone());
        Callback::from(move |file: web_sys::File| {
            let file = GlooFile::from(file);
            let name = file.name();
            let accept = accept.clone();
            let task = read_as_text(&file, move |text| {
                let text = text.map_err(|e| format!("{name}: cannot read the file: {e}"));
                accept.emit((name, text, false));
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    // Counts fetches, so only the newest one's answer is shown.
    let fetches = use_mut_ref(|| 0u32);
    // (address, whether a `load=` link asked for it: then the address bar is cleaned after).
    let fetch_url = {
        let (accept, load_message) = (accept.clone(), load_message.clone());
        Callback::from(move |(url, from_link): (String, bool)| {
            let url = url.trim().to_string();
            if url.is_empty() {
                load_message.set(Some(LoadMessage::Failed(
                    "Type or paste the address of a scenario file first.".into(),
                )));
                return;
            }
            let generation = {
                let mut count = fetches.borrow_mut();
                *count += 1;
                *count
            };
            load_message.set(Some(LoadMessage::Fetching(url.clone())));
            let (accept, fetches) = (accept.clone(), fetches.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = own_scenarios::fetch(&url).await;
                if *fetches.borrow() == generation {
                    accept.emit((url, text, true));
                }
                if from_link {
                    forget_load_link(projector);
                }
            });
        })
    };
    let url_text = use_state(String::new);
    let on_url_input = {
        let url_text = url_text.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            url_text.set(input.value());
        })
    };
    let on_url_load = {
        let (fetch_url, url_text) = (fetch_url.clone(), url_text.clone());
        Callback::from(move |_: MouseEvent| fetch_url.emit(((*url_text).clone(), false)))
    };
    // Enter in the address field loads it; it must not submit the form around it (that
    // would start a run).
    let on_url_key = {
        let (fetch_url, url_text) = (fetch_url.clone(), url_text.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                fetch_url.emit(((*url_text).clone(), false));
            }
        })
    };
    // `#/?load=<URL-encoded address>`: a teacher's link loads the scenario by itself.
    let own_section = use_node_ref();
    let link_load = own_scenarios::load_param(&location.query);
    {
        let (load_message, own_section) = (load_message.clone(), own_section.clone());
        use_effect_with(link_load, move |request| {
            match request {
                Some(Ok(url)) => fetch_url.emit((url.clone(), true)),
                Some(Err(error)) => {
                    load_message.set(Some(LoadMessage::Failed(error.clone())));
                    forget_load_link(projector);
                }
                None => {}
            }
            // The result shows in the loader's section, which may be below the fold.
            if let (Some(_), Some(section)) = (request, own_section.cast::<web_sys::Element>()) {
                section.scroll_into_view();
            }
        });
    }
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
            let (run_file_error, progress_version) =
                (run_file_error.clone(), progress_version.clone());
            let task = read_as_text(&file, move |text| {
                let text = match text {
                    Ok(text) => text,
                    Err(e) => {
                        run_file_error.set(Some(format!("{name}: cannot read the file: {e}")));
                        return;
                    }
                };
                // A progress file (saved from the learning path) adds to the progress here.
                if progress::is_progress_file(&text) {
                    match progress::import(&text) {
                        Ok(n) => {
                            run_file_error.set(Some(format!(
                                "{name}: progress opened ({n} finished runs noted)."
                            )));
                            progress_version.set(*progress_version + 1);
                        }
                        Err(error) => run_file_error.set(Some(format!("{name}: {error}"))),
                    }
                    return;
                }
                match saved_runs::import(&text) {
                    Ok(query) => route::go(Route::Play, &query),
                    Err(error) => run_file_error.set(Some(format!("{name}: {error}"))),
                }
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let on_progress_save = {
        let progress_read = progress_read.clone();
        Callback::from(move |_: MouseEvent| {
            let text = progress_read.progress.encode();
            if let Err(error) = download::save("ops-dojo-progress.txt", "text/plain", &text) {
                gloo::console::warn!(error);
            }
        })
    };
    let on_damaged_download = Callback::from(|_: MouseEvent| {
        if let Some(text) = progress::set_aside() {
            if let Err(error) =
                download::save("ops-dojo-progress-set-aside.txt", "text/plain", &text)
            {
                gloo::console::warn!(error);
            }
        }
    });
    // The learning path sits below the run setup; the hero's link brings it up and moves the
    // focus there, so keyboard and screen reader users land on it too.
    let on_path_jump = Callback::from(|_: MouseEvent| {
        if let Some(title) = gloo::utils::document().get_element_by_id("path-title") {
            title.scroll_into_view();
            if let Some(title) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&title) {
                let _ = title.focus();
            }
        }
    });
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
                <p class="hero-links">
                    <a id="concepts-link" href={if projector { "#/concepts?profile=projector" } else { "#/concepts" }}>{ "Concepts explained" }</a>
                    { ": SLIs, error budgets, burn rates, queues, retries and the rest, a few lines each." }
                </p>
                <p class="hero-links">
                    <button type="button" class="link-button" id="path-jump" onclick={on_path_jump}>{ "Learning path" }</button>
                    { ": become an SRE or a DevOps engineer, one scenario at a time, with your progress. " }
                    <a id="hero-roles-link" href={Route::Roles.href(if projector { "profile=projector" } else { "" })}>{ "The two jobs" }</a>
                    { ": which one is yours?" }
                </p>
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
                            <ScenarioCard scenario={s.clone()} selected={*selected == s.id.0} on_select={on_select.clone()}
                                done={Seat::ALL.iter().filter_map(|seat| progress_read.progress.get(&s.id.0, *seat).map(|f| (*seat, f))).collect::<Vec<_>>()} />
                        }) }
                    </div>
                </section>
                <section aria-labelledby="own-title" class="own-scenario" ref={own_section}>
                    <h2 id="own-title">{ "…or load your own scenario" }</h2>
                    <div class="drop-zone" id="scenario-drop" ondrop={on_drop} ondragover={on_drag_over}>
                        <label for="scenario-file">{ "Choose a scenario file (.toml), or drop it here" }</label>
                        <input id="scenario-file" type="file" accept=".toml,text/plain" onchange={on_file} />
                        <p class="hint">{ "Teachers write scenarios as plain files: see the scenario format reference. The file is checked here and kept in this browser only." }</p>
                    </div>
                    <div class="url-loader">
                        <label for="scenario-url">{ "Or load a scenario file from a URL" }</label>
                        <div class="url-row">
                            <input id="scenario-url" type="text" inputmode="url" autocomplete="url"
                                spellcheck="false" placeholder="https://example.org/my-scenario.toml"
                                value={(*url_text).clone()} oninput={on_url_input} onkeydown={on_url_key}
                                aria-describedby="scenario-url-hint" />
                            <button type="button" id="scenario-url-load" onclick={on_url_load}>{ "Load" }</button>
                        </div>
                        <p class="hint" id="scenario-url-hint">{ "The server must let other sites read the file (raw files on GitHub do). Once it has loaded, a link that loads it for anyone is shown here: hand that out to a class." }</p>
                    </div>
                    { load_message.as_ref().map(LoadMessage::view).unwrap_or_default() }
                </section>
                <section aria-labelledby="roles-title">
                    <h2 id="roles-title">{ "2. Pick a role" }</h2>
                    <fieldset class="roles">
                        <legend class="visually-hidden">{ "Role" }</legend>
                        { role_choice(Seat::One(Role::Devops), "Ship features through the delivery pipeline: pick deploy strategies, spend engineer-hours, live with change failures.") }
                        { role_choice(Seat::One(Role::Sre), "Keep the service inside its SLO: answer pages, add capacity, roll back, fight toil, freeze deploys when the budget is gone.") }
                        { role_choice(Seat::Both, "You build it, you run it: ship the features and carry the pager.") }
                    </fieldset>
                    <p class="roles-link">
                        <a id="home-roles-link" href={Route::Roles.href(if projector { "profile=projector" } else { "" })}>{ "What are these jobs like as careers?" }</a>
                        { " The two jobs side by side: a day in each, who tends to enjoy which, how to start, pay and outlook." }
                    </p>
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
                <div class="start-row">
                    <button id="start-run" type="submit" class="primary big" disabled={seed_error.is_some() || selected.is_empty()}>
                        { "Start the run ▶" }
                    </button>
                    <button id="class-link-toggle" type="button" onclick={toggle_class_link}
                        aria-expanded={show_class_link.to_string()} disabled={seed_error.is_some() || selected.is_empty()}>
                        { "Share this run's link" }
                    </button>
                </div>
                if let Some(setup) = class_setup {
                    <ShareBox id="class-link" {setup}
                        hint="Everyone who opens this link plays the same scenario, role, partner bot and seed: give it to a class (a scenario you loaded travels inside the link). Each student's results then compare like for like." />
                }
            </form>
            <section class="learning-path" aria-labelledby="path-title" id="learning-path">
                <h2 id="path-title" tabindex="-1">{ "Learning path" }</h2>
                <p class="hint">{ "Two tracks through the scenarios, one per job. Your progress is kept in this browser; a run counts once it is played to the end." }</p>
                if let Some(problem) = &progress_read.problem {
                    <p class="route-error" role="alert" id="progress-problem">
                        { format!("Some of your kept progress could not be read ({problem}). It is set aside, not deleted: ") }
                        <button type="button" onclick={on_damaged_download}>{ "download it" }</button>
                    </p>
                }
                <div class="tracks">
                    { for (0..TRACKS.len()).map(|i| html! {
                        { learning_track(&LearningTrackProps { track: i, progress: progress_read.progress.clone(), seed: seed.clone().unwrap_or(LIVE_IT_SEED), projector }) }
                    }) }
                </div>
                <p class="path-links">
                    <a id="home-you-link" href={Route::You.href(if projector { "profile=projector" } else { "" })}>{ "Your two jobs" }</a>
                    { ": what your finished runs show about each role. " }
                    if !progress_read.progress.is_empty() {
                        <button type="button" id="progress-save" onclick={on_progress_save}>{ "Save your progress as a file" }</button>
                        { " (open it again below, with “Go on with a run saved as a file”, in any browser)." }
                    }
                </p>
            </section>
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
                <p>
                    <strong>{ "Practitioners: " }</strong>
                    <a id="alert-lab-link" href={Route::AlertLab.href("")}>{ "Alert lab" }</a>
                    { " — bring your own SLO (OpenSLO) and see when its alerts would have paged on real-looking incidents." }
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

/// What the scenario loader last did, shown under it.
#[derive(Debug, Clone, PartialEq)]
enum LoadMessage {
    /// Reading this URL.
    Fetching(String),
    Loaded {
        title: String,
        /// The file's name or the URL.
        source: String,
        /// For a URL: a home link that loads it, to hand out.
        share: Option<String>,
    },
    /// Why nothing was loaded, with the file or URL it concerns.
    Failed(String),
}

impl LoadMessage {
    fn view(&self) -> Html {
        match self {
            LoadMessage::Fetching(url) => html! {
                <p id="scenario-load-result" class="hint" role="status">{ format!("Fetching {url}…") }</p>
            },
            LoadMessage::Loaded {
                title,
                source,
                share,
            } => html! {
                <div id="scenario-load-result" class="load-ok" role="status">
                    <p>{ format!("Loaded \"{title}\" from {source}: it is now selected among the scenarios above, and its link works in this browser.") }</p>
                    if let Some(share) = share {
                        <p>{ "To hand it out, share this link: it loads the scenario for anyone who opens it. " }
                            <a id="scenario-share-link" href={share.clone()}>{ share }</a></p>
                    }
                </div>
            },
            LoadMessage::Failed(error) => html! {
                <p id="scenario-load-result" class="field-error" role="alert">{ error }</p>
            },
        }
    }
}

/// Takes `load=…` out of the address bar once it has been acted on, so a reload or a
/// bookmark does not load the scenario again; the display profile stays. Only while the
/// address still asks for a load: the player may have started a run meanwhile.
fn forget_load_link(projector: bool) {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let still_asked = hash
        .split_once('?')
        .is_some_and(|(_, query)| own_scenarios::load_param(query).is_some());
    if still_asked {
        route::replace(
            Route::Home,
            if projector { "profile=projector" } else { "" },
        );
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
