//! `#/you`, "your two jobs": what the finished runs kept in this browser show about how the
//! person played each role, a fact at a time, each with a question from the roles page's
//! "who tends to enjoy which". Never a verdict. Printable on one page, and saved as a file.

use ops_dojo_engine::{catalog, Role};
use yew::prelude::*;

use crate::download;
use crate::own_scenarios;
use crate::roles::{self, LIVE_IT_SEED};
use crate::route::{use_location, wants_projector, PlayQuery, Route, Seat, DEFAULT_PARTNER};
use crate::saved_runs;
use crate::two_jobs::{summary_text, RunFacts};

/// What reading the kept runs found.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    finished: Vec<RunFacts>,
    /// Runs kept but not played to the end yet.
    unfinished: u32,
    /// Runs kept that could not be rebuilt (another version of a scenario, damage).
    unreadable: u32,
}

/// Rebuilds every run kept in this browser and reads the finished ones' facts.
fn read_kept_runs() -> Found {
    let mut found = Found {
        finished: Vec::new(),
        unfinished: 0,
        unreadable: 0,
    };
    for kept in saved_runs::kept() {
        let sim = match own_scenarios::find(&kept.scenario) {
            Some(Ok(scenario)) => saved_runs::resume_key(&kept.key, scenario),
            _ => Err("unknown scenario".to_string()),
        };
        match sim {
            Ok(sim) if sim.is_finished() => found.finished.push(RunFacts::of(&sim, kept.seat)),
            Ok(_) => found.unfinished += 1,
            Err(_) => found.unreadable += 1,
        }
    }
    found
}

fn play_href(scenario: &str, seat: Seat, seed: u64, projector: bool) -> String {
    let query = PlayQuery {
        profile: projector.then_some("projector"),
        ..PlayQuery::new(scenario, seat, DEFAULT_PARTNER, seed)
    };
    Route::Play.href(&query.to_query())
}

fn title_of(id: &str) -> String {
    catalog::load(id)
        .and_then(Result::ok)
        .map_or_else(|| id.to_string(), |s| s.title)
}

/// What to play next so both roles can be compared like for like.
fn next_step(found: &Found, projector: bool) -> Html {
    let played = |role: Role| {
        found
            .finished
            .iter()
            .find(|r| r.seat == Seat::One(role) || r.seat == Seat::Both)
    };
    match (played(Role::Devops), played(Role::Sre)) {
        (None, None) => html! {
            <p id="you-next" class="you-next">
                { "You have not finished a run yet. Start with " }
                <a href={play_href("first-slo", Seat::One(Role::Sre), LIVE_IT_SEED, projector)}>{ "First SLO as SRE" }</a>
                { ", play it to the end, then play it again " }
                <a href={play_href("first-slo", Seat::One(Role::Devops), LIVE_IT_SEED, projector)}>{ "as DevOps on the same seed" }</a>
                { ": the same traffic and faults, the other seat. This page then sets the two side by side." }
            </p>
        },
        (Some(run), None) | (None, Some(run)) => {
            let other = match run.seat {
                Seat::One(Role::Sre) => Role::Devops,
                _ => Role::Sre,
            };
            html! {
                <p id="you-next" class="you-next">
                    { format!("So far your finished runs are as {} only. To compare like for like, play the same scenario on the same seed in the other seat: ", run.seat.label()) }
                    <a id="you-other-role" href={play_href(&run.scenario, Seat::One(other), run.seed, projector)}>
                        { format!("{} as {}, seed {}", title_of(&run.scenario), other.label(), run.seed) }
                    </a>
                    { "." }
                </p>
            }
        }
        (Some(_), Some(_)) => Html::default(),
    }
}

fn run_view(run: &RunFacts, index: usize) -> Html {
    html! {
        <article class="you-run" data-scenario={run.scenario.clone()} data-seat={run.seat.id()} id={format!("you-run-{index}")}>
            <h3>{ run.heading() }</h3>
            <ul class="you-facts">
                { for run.reflections().into_iter().map(|r| {
                    let suits = roles::suits(r.suits);
                    html! {
                        <li class="you-fact" data-fact={r.id}>
                            <p class="fact-text">{ r.fact }</p>
                            <p class="fact-question">
                                if let Some(suits) = suits {
                                    <span class="fact-suits">{ format!("The guide: {}", suits.text) }</span>{ " " }
                                }
                                <strong>{ r.question }</strong>
                            </p>
                        </li>
                    }
                }) }
            </ul>
        </article>
    }
}

#[function_component(YouPage)]
pub fn you_page() -> Html {
    let projector = wants_projector(&use_location().query);
    let profile = if projector { "profile=projector" } else { "" };
    let found = use_state(|| None::<Found>);
    {
        // Rebuilding runs takes a moment: the page shows that it is reading them first.
        let found = found.clone();
        use_effect_with((), move |()| {
            gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
            let timeout =
                gloo::timers::callback::Timeout::new(0, move || found.set(Some(read_kept_runs())));
            move || drop(timeout)
        });
    }
    let save_error = use_state(|| None::<String>);
    let on_save = {
        let (found, save_error) = (found.clone(), save_error.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(found) = &*found {
                let text = summary_text(&found.finished);
                if let Err(error) =
                    download::save("ops-dojo-your-two-jobs.txt", "text/plain", &text)
                {
                    save_error.set(Some(error));
                }
            }
        })
    };
    let on_print = Callback::from(|_: MouseEvent| {
        if gloo::utils::window().print().is_err() {
            gloo::console::warn!("this browser cannot print");
        }
    });
    html! {
        <main class="home you-page">
            <p class="back-link no-print"><a href={Route::Home.href(profile)}>{ "← Ops Dojo: back to the scenarios" }</a></p>
            <h1>{ "Your two jobs" }</h1>
            <p class="tagline">{ "What your own finished runs in this browser show about how you played each role, a fact at a time. Beside each fact, a question from the guide's view of who tends to enjoy which job. Only you can answer them: this page never decides which job is yours." }</p>
            <p class="no-print">
                <a id="roles-link" href={Route::Roles.href(profile)}>{ "The two jobs compared" }</a>
                { ": what each job is, how people get in, where it leads and what it pays." }
            </p>
            { match &*found {
                None => html! { <p id="you-status" role="status">{ "Reading the runs kept in this browser…" }</p> },
                Some(found) => html! {
                    <>
                        { next_step(found, projector) }
                        if found.unfinished > 0 || found.unreadable > 0 {
                            <p class="hint" id="you-status">
                                { format!("Not counted: {} still being played{}.", found.unfinished,
                                    if found.unreadable > 0 { format!(", {} that could not be read again", found.unreadable) } else { String::new() }) }
                            </p>
                        }
                        { for Seat::ALL.iter().filter_map(|seat| {
                            let runs: Vec<(usize, &RunFacts)> = found.finished.iter().enumerate().filter(|(_, r)| r.seat == *seat).collect();
                            (!runs.is_empty()).then(|| html! {
                                <section class="you-role" id={format!("you-{}", seat.id())} aria-labelledby={format!("you-{}-title", seat.id())}>
                                    <h2 id={format!("you-{}-title", seat.id())}>{ format!("As {}", seat.label()) }</h2>
                                    { for runs.into_iter().map(|(i, run)| run_view(run, i)) }
                                </section>
                            })
                        }) }
                        if !found.finished.is_empty() {
                            <p class="buttons no-print you-export">
                                <button type="button" id="you-print" onclick={on_print}>{ "Print this summary" }</button>
                                <button type="button" id="you-save" onclick={on_save}>{ "Save it as a text file" }</button>
                            </p>
                            if let Some(error) = &*save_error {
                                <p class="field-error" role="alert">{ error }</p>
                            }
                        }
                    </>
                },
            } }
        </main>
    }
}
