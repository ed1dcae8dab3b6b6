//! The debrief's "Par on this seed": the same scenario and seed played twice more, in a
//! background worker, once with nobody acting in either seat and once with the expert's
//! solution, so the learner's result reads between what doing nothing and what skill
//! achieve on the very same traffic and faults.

use std::cell::RefCell;
use std::rc::Rc;

use ops_dojo_engine::par::{self, Par, ParRun};
use yew::prelude::*;

use crate::format::{count, percent};
use crate::seed_study::{self, Report, Workers};
use crate::state::RunView;

#[derive(Properties, PartialEq)]
pub struct ParTableProps {
    pub run: RunView,
}

/// Where working out the par stands.
#[derive(Debug, Clone, PartialEq)]
enum Working {
    Running,
    Done(Par),
    Failed(String),
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

#[function_component(ParTable)]
pub fn par_table(props: &ParTableProps) -> Html {
    let (id, seed) = {
        let sim = props.run.sim();
        (sim.scenario().id.0.clone(), sim.seed())
    };
    // Reads the built-in scenario to compare: once per scenario, not per render.
    let available = *use_memo(id.clone(), |_| par::available(props.run.sim().scenario()));
    let working = use_state(|| Working::Running);
    // The worker lives as long as the table (dropping it stops the worker).
    let worker: Rc<RefCell<Option<Workers>>> = use_mut_ref(|| None);
    {
        let working = working.clone();
        use_effect_with(
            (id.clone(), seed, available),
            move |(id, seed, available)| {
                if *available {
                    working.set(Working::Running);
                    let report = {
                        let working = working.clone();
                        move |report: Report| match report {
                            Report::Par(Ok(par)) => working.set(Working::Done(par)),
                            Report::Par(Err(why)) | Report::Failed(why) => {
                                working.set(Working::Failed(why));
                            }
                            Report::Done(..) | Report::Replayed(..) => {}
                        }
                    };
                    match seed_study::start_par(id, *seed, report) {
                        Ok(started) => *worker.borrow_mut() = Some(started),
                        Err(why) => working.set(Working::Failed(why)),
                    }
                }
                move || drop(worker.borrow_mut().take())
            },
        );
    }
    if !available {
        return html! {};
    }
    let you = ParRun::of(&props.run.sim());
    html! {
        <section class="par" id="debrief-par" aria-labelledby="par-title">
            <h3 id="par-title">{ format!("Par on seed {seed}") }</h3>
            <p class="hint">{ "The same scenario and seed, played twice more: once with nobody acting in either seat, once with an expert's solution (a fixed plan of actions that meets every objective). Your run sits between the two." }</p>
            { match &*working {
                Working::Running => html! {
                    <p id="par-working" role="status">{ "Working out the par: two more runs in the background…" }</p>
                },
                Working::Failed(why) => html! {
                    <p id="par-failed" role="status">{ format!("The par could not be worked out here: {why}") }</p>
                },
                Working::Done(par) => html! {
                    <>
                        <div class="table-wide">
                            <table id="par-table" class="compare-table par-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{ "Run" }</th>
                                        <th scope="col">{ "Error budget left" }</th>
                                        <th scope="col">{ "Features in use" }</th>
                                        <th scope="col">{ "Objectives met" }</th>
                                        <th scope="col">{ "Failed requests" }</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    { row("par-hands-off", "Nobody acting", &par.hands_off) }
                                    { row("par-you", "You", &you) }
                                    { row("par-expert", "Expert", &par.expert) }
                                </tbody>
                            </table>
                        </div>
                        <p id="par-verdict" role="status">{ verdict(&you, par) }</p>
                    </>
                },
            } }
        </section>
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
