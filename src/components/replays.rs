//! The debrief's replays of the finished run, worked out in a background worker so the
//! page never waits:
//! - "Par on this seed": the same scenario and seed played twice more, once with nobody
//!   acting in either seat and once with the expert's solution, so the learner's result
//!   reads between what doing nothing and what skill achieve on the very same traffic and
//!   faults (built-in scenarios as shipped);
//! - "What if?": the run's key moments, each replayed with one thing changed (an action left
//!   out, a waiting action item shipped). Runs are deterministic, so each difference is that
//!   one change's own doing.
//!
//! What was worked out is kept for the run: reopening its debrief shows it at once.

use std::cell::RefCell;
use std::rc::Rc;

use ops_dojo_engine::par::{self, Par, ParRun};
use ops_dojo_engine::share;
use yew::prelude::*;

use crate::components::table_head::column_heads;
use crate::format::{count, percent};
use crate::own_scenarios;
use crate::seed_study::{self, Replays as Found, Report, Workers};
use crate::state::RunView;

#[derive(Properties, PartialEq)]
pub struct ReplaysProps {
    pub run: RunView,
}

/// Where working out the replays stands.
#[derive(Debug, Clone, PartialEq)]
enum Working {
    Running,
    Done(Found),
    Failed(String),
}

thread_local! {
    /// Replays already worked out, by run (scenario, seed and packed action log): the
    /// newest few, so a debrief opened again does not replay again.
    static KEPT: RefCell<Vec<(String, Found)>> = const { RefCell::new(Vec::new()) };
}

/// How many runs' replays are kept.
const KEEP: usize = 4;

fn kept(key: &str) -> Option<Found> {
    KEPT.with(|kept| {
        kept.borrow()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, f)| f.clone())
    })
}

fn keep(key: String, found: Found) {
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        kept.retain(|(k, _)| *k != key);
        kept.insert(0, (key, found));
        kept.truncate(KEEP);
    });
}

/// One sentence placing the learner's run against the par: objectives first (what the
/// scenario asks), then the error budget.
pub fn verdict(you: &ParRun, par: &Par) -> String {
    let (met, all) = (you.objectives_met, you.objectives);
    // Points of the error budget the learner kept beyond `other` (negative: fewer).
    let beyond = |other: &ParRun| (you.budget_left - other.budget_left) * 100.0;
    if met == all && all > 0 {
        let points = beyond(&par.expert);
        let budget = if points.abs() < 0.5 {
            "as much of the error budget as the expert".to_string()
        } else if points > 0.0 {
            format!("{points:.0} points more of the error budget than the expert")
        } else {
            format!(
                "{:.0} points less of the error budget than the expert",
                -points
            )
        };
        format!("You met every objective, as the expert did, and kept {budget}.")
    } else if met > par.hands_off.objectives_met {
        format!(
            "Better than doing nothing: {met} of {all} objectives against {} for nobody acting; the expert met all {all}.",
            par.hands_off.objectives_met
        )
    } else {
        let points = -beyond(&par.hands_off);
        let budget = if points > 0.5 {
            format!(", and kept {points:.0} points more of the error budget")
        } else {
            String::new()
        };
        format!(
            "Doing nothing would have met as many objectives ({} of {all}){budget}; the expert met all {all}. Try again with the expert's row as the target.",
            par.hands_off.objectives_met
        )
    }
}

fn row(id: &'static str, who: &'static str, run: &ParRun) -> Html {
    html! {
        <tr id={id} class={classes!(if id == "par-you" { Some("par-you") } else { None })}>
            <th scope="row">{ who }</th>
            <td>{ percent(run.budget_left, 0) }</td>
            <td>{ run.features_shipped }</td>
            <td>{ format!("{} of {}", run.objectives_met, run.objectives) }</td>
            <td>{ count(run.failed_requests) }</td>
        </tr>
    }
}

#[function_component(Replays)]
pub fn replays(props: &ReplaysProps) -> Html {
    let (id, seed, actions) = {
        let sim = props.run.sim();
        let actions = share::pack_actions(sim.actions());
        (sim.scenario().id.0.clone(), sim.seed(), actions)
    };
    // Read once per scenario, not per render: whether it has a par (a built-in one as
    // shipped), and its file text for the worker (a built-in's, or a teacher's kept one).
    let has_par = *use_memo(id.clone(), |_| par::available(props.run.sim().scenario()));
    let text = use_memo(id.clone(), |id| own_scenarios::text(id));
    let key = format!("{id}/{seed}/{actions}");
    let working = use_state(|| kept(&key).map_or(Working::Running, Working::Done));
    // The worker lives as long as the section (dropping it stops the worker).
    let worker: Rc<RefCell<Option<Workers>>> = use_mut_ref(|| None);
    {
        let (working, text) = (working.clone(), text.clone());
        use_effect_with(key, move |key| {
            match (kept(key), &*text) {
                (Some(found), _) => working.set(Working::Done(found)),
                (None, None) => working.set(Working::Failed(
                    "this scenario's file is not kept in this browser".into(),
                )),
                (None, Some(text)) => {
                    working.set(Working::Running);
                    let report = {
                        let (working, key) = (working.clone(), key.clone());
                        move |report: Report| match report {
                            Report::Replays(Ok(found)) => {
                                keep(key.clone(), found.clone());
                                working.set(Working::Done(found));
                            }
                            Report::Replays(Err(why)) | Report::Failed(why) => {
                                working.set(Working::Failed(why));
                            }
                            Report::Done(..) | Report::Replayed(..) | Report::Lab(_) => {}
                        }
                    };
                    match seed_study::start_debrief(text, seed, &actions, report) {
                        Ok(started) => *worker.borrow_mut() = Some(started),
                        Err(why) => working.set(Working::Failed(why)),
                    }
                }
            }
            move || drop(worker.borrow_mut().take())
        });
    }
    let you = ParRun::of(&props.run.sim());
    let status = |id: &'static str, text: String| html! { <p {id} role="status">{ text }</p> };
    let (par, what_ifs) = match &*working {
        Working::Running => (
            status(
                "par-working",
                "Working out the par: two more runs in the background…".into(),
            ),
            status(
                "replays-working",
                "Working it out: replaying your run in the background…".into(),
            ),
        ),
        Working::Failed(why) => (
            status(
                "par-failed",
                format!("The par could not be worked out here: {why}"),
            ),
            status(
                "replays-failed",
                format!("The what-ifs could not be worked out here: {why}"),
            ),
        ),
        Working::Done(found) => (
            found
                .par
                .as_ref()
                .map_or_else(Html::default, |par| par_table(&you, par)),
            if found.what_ifs.is_empty() {
                status("replays-none", "Nothing to replay: you took no action that mitigates, protects or invests, and no action item waited.".into())
            } else {
                html! {
                    <ul id="replays-lines">
                        { for found.what_ifs.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
                    </ul>
                }
            },
        ),
    };
    html! {
        <>
            if has_par {
                <section class="par" id="debrief-par" aria-labelledby="par-title">
                    <h3 id="par-title">{ format!("Par on seed {seed}") }</h3>
                    <p class="hint">{ "The same scenario and seed, played twice more: once with nobody acting in either seat, once with an expert's solution (a fixed plan of actions that meets every objective). Your run sits between the two." }</p>
                    { par }
                </section>
            }
            <section class="what-if" id="debrief-replays" aria-labelledby="replays-title">
                <h3 id="replays-title">{ "What if? Your key moments, replayed" }</h3>
                <p class="hint">{ "Your run replayed once for each key moment, with that one thing changed: an action left out, or a postmortem's action item shipped as soon as it could be. Everything else happens as it did, so each difference is that one thing's doing." }</p>
                { what_ifs }
            </section>
        </>
    }
}

/// The par table: nobody acting, the learner, the expert; and the verdict.
fn par_table(you: &ParRun, par: &Par) -> Html {
    html! {
        <>
            <div class="table-wide">
                <table id="par-table" class="compare-table par-table">
                    <thead>
                        <tr>
                            { column_heads(&["Run", "Error budget left", "Features in use", "Objectives met", "Failed requests"]) }
                        </tr>
                    </thead>
                    <tbody>
                        { row("par-hands-off", "Nobody acting", &par.hands_off) }
                        { row("par-you", "You", you) }
                        { row("par-expert", "Expert", &par.expert) }
                    </tbody>
                </table>
            </div>
            <p id="par-verdict" role="status">{ verdict(you, par) }</p>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(budget_left: f64, met: u32) -> ParRun {
        ParRun {
            budget_left,
            features_shipped: 3,
            failed_requests: 10,
            objectives_met: met,
            objectives: 3,
        }
    }

    #[test]
    fn the_verdict_places_the_run_between_doing_nothing_and_the_expert() {
        let par = Par {
            hands_off: run(-0.4, 1),
            expert: run(0.6, 3),
        };
        assert_eq!(
            verdict(&run(0.7, 3), &par),
            "You met every objective, as the expert did, and kept 10 points more of the error budget than the expert."
        );
        assert_eq!(
            verdict(&run(0.2, 2), &par),
            "Better than doing nothing: 2 of 3 objectives against 1 for nobody acting; the expert met all 3."
        );
        assert_eq!(
            verdict(&run(-0.9, 1), &par),
            "Doing nothing would have met as many objectives (1 of 3), and kept 50 points more of the error budget; the expert met all 3. Try again with the expert's row as the target."
        );
    }
}
