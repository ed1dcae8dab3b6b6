//! Many seeds: two pairs of bots played on the same N seeds in the background, so that a
//! comparison is not one lucky week. Shows each metric's spread for both pairs, on how many
//! seeds each pair did better, and every run on the trade-off chart.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use ops_dojo_engine::scorecard::{spreads, usual_tier, Paired, Scorecard, METRICS};
use yew::prelude::*;

use crate::compare::BotPair;
use crate::components::metric_table::{
    metric_table, spread_text, Cell, MetricColumn, MetricTableProps,
};
use crate::components::trade_off_chart::{trade_off_chart, TradeOffChartProps, TradeOffPoint};
use crate::seed_study::{self, Job, Report, Workers};

/// Seed counts offered: enough to see a spread, up to a classroom-sized study.
const SEED_COUNTS: [u64; 4] = [10, 20, 50, 100];

/// The study shows what the workers found at most this often (milliseconds): each showing
/// (the table's spreads, the chart's dots) takes the page's thread for several
/// milliseconds, which the workers would rather have on a machine with few cores.
const SHOW_EVERY_MS: f64 = 250.0;

#[derive(Properties, PartialEq)]
pub struct ManySeedsProps {
    /// The scenario's file text, for the workers.
    pub scenario_text: Rc<String>,
    /// The first seed; the study plays `seed`, `seed + 1`, ….
    pub seed: u64,
}

/// A study under way or done.
#[derive(Debug, Clone, PartialEq)]
struct Study {
    pairs: [BotPair; 2],
    seeds: Vec<u64>,
    /// Per job (first pair's seeds, then the second's): its card once played.
    answers: Vec<Option<Result<Scorecard, String>>>,
    /// Why the study stopped early (a worker failed, or it was cancelled).
    stopped: Option<String>,
}

impl Study {
    /// Every run to play, with its place in `answers`: seed by seed, both pairs on each,
    /// so that both columns and the seed-by-seed tally fill while the study runs.
    fn jobs(&self) -> Vec<(usize, Job)> {
        let n = self.seeds.len();
        self.seeds
            .iter()
            .enumerate()
            .flat_map(|(k, &seed)| {
                self.pairs
                    .iter()
                    .enumerate()
                    .map(move |(p, &pair)| (p * n + k, Job { pair, seed }))
            })
            .collect()
    }

    fn played(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }

    fn running(&self) -> bool {
        self.stopped.is_none() && self.played() < self.answers.len()
    }

    /// Takes in what a worker said.
    fn hear(&mut self, report: Report) {
        match report {
            Report::Done(index, card) => {
                if let Some(slot) = self.answers.get_mut(index) {
                    *slot = Some(card);
                }
            }
            Report::Failed(why) => self.stop(why),
            Report::Replayed(..) | Report::Replays(_) | Report::Lab(_) => {}
        }
    }

    /// Stops a running study, saying why.
    fn stop(&mut self, why: String) {
        if self.running() {
            self.stopped = Some(why);
        }
    }

    /// The cards of one pair, by seed (None: not played yet, or failed).
    fn cards(&self, pair: usize) -> Vec<Option<&Scorecard>> {
        let n = self.seeds.len();
        self.answers[pair * n..(pair + 1) * n]
            .iter()
            .map(|a| a.as_ref().and_then(|r| r.as_ref().ok()))
            .collect()
    }
}

enum StudyAction {
    Start(Study),
    /// What the workers said since the study last showed, in order.
    Reports(Vec<Report>),
    Stop(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
struct StudyState {
    study: Option<Study>,
}

impl Reducible for StudyState {
    type Action = StudyAction;

    fn reduce(self: Rc<Self>, action: StudyAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match (action, next.study.as_mut()) {
            (StudyAction::Start(study), _) => next.study = Some(study),
            (StudyAction::Reports(reports), Some(study)) => {
                for report in reports {
                    study.hear(report);
                }
            }
            (StudyAction::Stop(why), Some(study)) => study.stop(why),
            _ => {}
        }
        Rc::new(next)
    }
}

#[function_component(ManySeeds)]
pub fn many_seeds(props: &ManySeedsProps) -> Html {
    let first = use_state(|| 0_usize);
    let second = use_state(|| BotPair::OFFERED.len() - 1);
    let count = use_state(|| SEED_COUNTS[1]);
    let state = use_reducer(StudyState::default);
    // The workers live as long as the study runs, or the page shows: dropping them stops them.
    let workers = use_mut_ref(|| None::<Workers>);
    let error = use_state(|| None::<String>);
    // What the workers said and the study has not shown yet, when it last showed (ms since
    // the epoch), and the timer that will show the rest.
    let unshown = use_mut_ref(Unshown::default);

    let running = state.study.as_ref().is_some_and(Study::running);
    {
        let workers = workers.clone();
        use_effect_with(running, move |running| {
            if !running {
                workers.borrow_mut().take();
            }
        });
    }

    let start = {
        let (state, workers, error) = (state.clone(), workers.clone(), error.clone());
        let unshown = unshown.clone();
        let (first, second, count) = (*first, *second, *count);
        let (text, seed) = (props.scenario_text.clone(), props.seed);
        Callback::from(move |_: MouseEvent| {
            let seeds: Vec<u64> = (0..count).map(|k| seed.wrapping_add(k)).collect();
            let study = Study {
                pairs: [BotPair::OFFERED[first], BotPair::OFFERED[second]],
                answers: vec![None; seeds.len() * 2],
                seeds,
                stopped: None,
            };
            *unshown.borrow_mut() = Unshown::default();
            let dispatcher = state.dispatcher();
            let unshown = unshown.clone();
            let report = move |report| Unshown::hear(&unshown, report, dispatcher.clone());
            match seed_study::start(&text, &study.jobs(), report) {
                Ok(started) => {
                    *workers.borrow_mut() = Some(started);
                    error.set(None);
                    state.dispatch(StudyAction::Start(study));
                }
                Err(why) => error.set(Some(why)),
            }
        })
    };
    let cancel = {
        let (state, workers) = (state.clone(), workers.clone());
        let unshown = unshown.clone();
        Callback::from(move |_: MouseEvent| {
            workers.borrow_mut().take();
            // What arrived before the click still counts.
            let heard = std::mem::take(&mut *unshown.borrow_mut()).reports;
            state.dispatch(StudyAction::Reports(heard));
            state.dispatch(StudyAction::Stop("Cancelled.".into()));
        })
    };
    let pick = |handle: UseStateHandle<usize>| {
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            handle.set(select.value().parse().unwrap_or(0));
        })
    };
    let on_count = {
        let count = count.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            count.set(select.value().parse().unwrap_or(SEED_COUNTS[1]));
        })
    };
    let pair_select = |id: &'static str, chosen: usize, onchange: Callback<Event>| {
        html! {
            <select id={id} {onchange} disabled={running}>
                { for BotPair::OFFERED.iter().enumerate().map(|(i, pair)| html! {
                    <option value={i.to_string()} selected={i == chosen}>{ pair.label() }</option>
                }) }
            </select>
        }
    };

    html! {
        <section class="many-seeds" aria-labelledby="seeds-title">
            <h2 id="seeds-title">{ "Many seeds: a real difference, or luck?" }</h2>
            <p class="hint">{ format!(
                "One seed is one draw of traffic, backlog and faults. Play two pairs of bots on the same seeds ({} onwards) in the background, then read how far each outcome spreads, and on how many seeds each pair did better.",
                props.seed
            ) }</p>
            <div class="seed-form">
                <div class="seed-field">
                    <label for="seeds-first">{ "First pair" }</label>
                    { pair_select("seeds-first", *first, pick(first.clone())) }
                </div>
                <div class="seed-field">
                    <label for="seeds-second">{ "Second pair" }</label>
                    { pair_select("seeds-second", *second, pick(second.clone())) }
                </div>
                <div class="seed-field">
                    <label for="seeds-count">{ "Seeds" }</label>
                    <select id="seeds-count" onchange={on_count} disabled={running}>
                        { for SEED_COUNTS.iter().map(|n| html! {
                            <option value={n.to_string()} selected={*n == *count}>{ n }</option>
                        }) }
                    </select>
                </div>
                if running {
                    <button id="seeds-cancel" class="button" onclick={cancel}>{ "Cancel" }</button>
                } else {
                    <button id="seeds-run" class="button primary" onclick={start} disabled={*first == *second}>
                        { format!("Play {} seeds of each", *count) }
                    </button>
                }
            </div>
            if *first == *second {
                <p class="hint">{ "Choose two different pairs." }</p>
            }
            if let Some(why) = &*error {
                <p class="field-error" role="alert">{ why }</p>
            }
            if let Some(study) = &state.study {
                { study_view(study) }
            }
        </section>
    }
}

/// Reports not shown yet (see [`SHOW_EVERY_MS`]).
#[derive(Default)]
struct Unshown {
    reports: Vec<Report>,
    /// When the study last showed, ms since the epoch.
    shown_at: f64,
    /// Shows the reports waiting, once the interval is over.
    timer: Option<Timeout>,
}

impl Unshown {
    /// Takes a worker's report: shown at once when the study has not shown for
    /// [`SHOW_EVERY_MS`], else with the others when the interval is over.
    fn hear(
        this: &Rc<RefCell<Unshown>>,
        report: Report,
        dispatcher: UseReducerDispatcher<StudyState>,
    ) {
        let mut unshown = this.borrow_mut();
        unshown.reports.push(report);
        if unshown.timer.is_some() {
            return;
        }
        let now = js_sys::Date::now();
        let waited = now - unshown.shown_at;
        if waited >= SHOW_EVERY_MS {
            unshown.shown_at = now;
            dispatcher.dispatch(StudyAction::Reports(std::mem::take(&mut unshown.reports)));
            return;
        }
        let slot = Rc::clone(this);
        unshown.timer = Some(Timeout::new(
            (SHOW_EVERY_MS - waited).ceil() as u32,
            move || {
                let mut unshown = slot.borrow_mut();
                unshown.shown_at = js_sys::Date::now();
                let reports = std::mem::take(&mut unshown.reports);
                // This timer's own handle: dropping it after it fired is harmless.
                unshown.timer.take();
                drop(unshown);
                dispatcher.dispatch(StudyAction::Reports(reports));
            },
        ));
    }
}

fn study_view(study: &Study) -> Html {
    let total = study.answers.len();
    let played = study.played();
    let failures: Vec<&String> = study
        .answers
        .iter()
        .flatten()
        .filter_map(|a| a.as_ref().err())
        .collect();
    let labels = study.pairs.map(|p| p.label());
    html! {
        <>
            <p id="seeds-progress" role="status" class="class-progress">
                <progress max={total.to_string()} value={played.to_string()}></progress>
                { format!(" {played} of {total} runs played") }
                if let Some(why) = &study.stopped { { format!(" — stopped. {why}") } }
            </p>
            if let Some(first) = failures.first() {
                <p class="field-error" role="alert">{ format!("{} run(s) failed: {first}", failures.len()) }</p>
            }
            if played > 0 {
                <p class="hint">{ "Each cell: the median, then the middle 80 % of the seeds. ★ marks the pair that did better on more seeds: a lead that holds seed after seed is the choices, not luck." }</p>
                { metric_table(&MetricTableProps { id: "seeds-table".into(), columns: study_columns(study, &labels) }) }
                { trade_off_chart(&TradeOffChartProps { id: "seeds-chart".into(), points: study_points(study), groups: labels.iter().map(|l| AttrValue::from(l.clone())).collect::<Vec<_>>() }) }
            }
        </>
    }
}

/// A column per pair (median and middle 80 % of its seeds), then the seed-by-seed tally.
fn study_columns(study: &Study, labels: &[String; 2]) -> Vec<MetricColumn> {
    let cards = [study.cards(0), study.cards(1)];
    let values = |pair: usize, metric: usize| -> Vec<Option<f64>> {
        cards[pair]
            .iter()
            .map(|c| c.and_then(|c| c.values[metric]))
            .collect()
    };
    let paired: Vec<Paired> = METRICS
        .iter()
        .enumerate()
        .map(|(i, m)| Paired::of(&values(0, i), &values(1, i), m.better))
        .collect();
    let mut columns: Vec<MetricColumn> = (0..2)
        .map(|pair| {
            let played: Vec<&Scorecard> = cards[pair].iter().flatten().copied().collect();
            MetricColumn {
                heading: labels[pair].clone(),
                note: Some(match played.len() {
                    1 => "1 seed".to_string(),
                    n => format!("{n} seeds"),
                }),
                tier: usual_tier(&played),
                cells: METRICS
                    .iter()
                    .zip(spreads(&played))
                    .zip(&paired)
                    .map(|((metric, spread), tally)| Cell {
                        text: spread_text(metric, spread.as_ref()),
                        // The pair that did better on more seeds.
                        best: if pair == 0 {
                            tally.first_better > tally.second_better
                        } else {
                            tally.second_better > tally.first_better
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    columns.push(MetricColumn {
        heading: "Seed by seed: first / second better (tied)".into(),
        note: None,
        tier: String::new(),
        cells: paired
            .iter()
            .map(|p| Cell {
                text: format!("{} / {} ({})", p.first_better, p.second_better, p.tied),
                best: false,
            })
            .collect(),
    });
    columns
}

/// Every run played, as a dot: budget left against features shipped.
fn study_points(study: &Study) -> Vec<TradeOffPoint> {
    (0..2)
        .flat_map(|pair| {
            study
                .cards(pair)
                .into_iter()
                .zip(&study.seeds)
                .filter_map(move |(card, seed)| {
                    let card = card?;
                    Some(TradeOffPoint {
                        budget_left: card.get("budget_left")?,
                        features: card.get("features_shipped")?,
                        group: pair,
                        label: format!("seed {seed}"),
                    })
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(budget_left: f64, features: f64) -> Scorecard {
        let mut values = vec![None; METRICS.len()];
        let at = |id: &str| METRICS.iter().position(|m| m.id == id).expect("a metric");
        values[at("budget_left")] = Some(budget_left);
        values[at("features_shipped")] = Some(features);
        Scorecard { values, tier: None }
    }

    #[test]
    fn a_study_reads_by_pair_and_seed_and_tallies_seed_by_seed() {
        let study = Study {
            pairs: [BotPair::OFFERED[0], BotPair::OFFERED[3]],
            seeds: vec![7, 8, 9],
            // First pair: seeds 7, 8, 9; second pair: the same seeds, one still to play.
            answers: vec![
                Some(Ok(card(-0.5, 6.0))),
                Some(Ok(card(0.2, 4.0))),
                Some(Err("refused".into())),
                Some(Ok(card(0.4, 3.0))),
                Some(Ok(card(0.2, 3.0))),
                None,
            ],
            stopped: None,
        };
        assert!(study.running());
        assert_eq!(study.played(), 5);
        let jobs = study.jobs();
        // Seed by seed, both pairs on each; each job knows its place among the answers.
        let (at, job) = jobs[3];
        assert_eq!((at, job.pair, job.seed), (4, BotPair::OFFERED[3], 8));
        assert_eq!(jobs.len(), 6);
        let labels = study.pairs.map(|p| p.label());
        let columns = study_columns(&study, &labels);
        let budget = METRICS
            .iter()
            .position(|m| m.id == "budget_left")
            .expect("a metric");
        // Seed 7: the second pair kept more budget; seed 8: a tie; seed 9: not in both.
        assert_eq!(columns[2].cells[budget].text, "0 / 1 (1)");
        assert!(columns[1].cells[budget].best && !columns[0].cells[budget].best);
        assert_eq!(columns[0].note.as_deref(), Some("2 seeds"));
        assert_eq!(study_points(&study).len(), 4, "a dot per run played");
    }
}
