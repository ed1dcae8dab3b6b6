//! Class results: a teacher pastes or drops the result codes a class handed in; each is
//! read at once and replayed in background workers (the page stays responsive and shows
//! progress; if workers cannot start, on the page, one code per timer turn), then marked
//! verified, mismatch or invalid; the class is summed up by role in a table and a chart, and
//! exported as CSV. The codes handed in are kept in this browser, so a reload checks them
//! again instead of losing them.

use std::rc::Rc;

use gloo::file::callbacks::{read_as_text, FileReader};
use gloo::file::File as GlooFile;
use gloo::timers::callback::Timeout;
use ops_dojo_engine::scorecard::METRICS;
use ops_dojo_engine::share;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::class_results::{
    groups, mark_duplicates, read, replay, scenarios_here, settle, split_codes, to_csv,
    usual_conditions, Entry, Group, Reading, Replayed, Status,
};
use crate::components::metric_table::{
    metric_table, spread_text, Cell, MetricColumn, MetricTableProps,
};
use crate::components::table_head::column_heads;
use crate::components::trade_off_chart::{trade_off_chart, TradeOffChartProps, TradeOffPoint};
use crate::download;
use crate::format::metric_value;
use crate::own_scenarios;
use crate::route::Seat;
use crate::seed_study::{self, Loaded, Report, Workers};
use crate::storage;

/// Where the codes handed in so far are kept: (source, code) pairs, packed.
const CODES_KEY: &str = "ops-dojo/class-codes";
/// Version of that packing.
const KEPT_PREFIX: &str = "CL1-";

/// A code read and waiting for its replay.
#[derive(Debug, Clone, PartialEq)]
struct Waiting {
    /// Its entry's number.
    number: usize,
    code: String,
    /// Its scenario's file text.
    scenario: String,
}

/// The page's state: the entries (those still replaying marked so), the codes waiting for a
/// replay, and the batch the workers are replaying now.
#[derive(Debug, Clone, PartialEq, Default)]
struct ClassState {
    entries: Vec<Entry>,
    waiting: Vec<Waiting>,
    /// The codes handed to the workers, by their place in the batch; taken as each returns.
    batch: Vec<Option<Waiting>>,
    /// Counts batches started or called off: a report from an older one is ignored.
    batch_id: u32,
    /// Why workers could not start, once they could not: the rest replays on the page.
    on_page: Option<String>,
    /// Every code handed in, in order (what is kept across reloads).
    handed_in: Vec<(String, String)>,
}

enum ClassAction {
    /// Codes from one source (a file's name, or "pasted").
    Add(String, String),
    /// The first this many waiting codes were handed to the workers, as batch
    /// `batch_id + 1` (codes added meanwhile wait for the next batch).
    Dispatched(usize),
    /// A worker replayed the code at `index` of batch `batch`.
    Replayed {
        batch: u32,
        index: usize,
        replayed: Replayed,
    },
    /// The workers could not start (why): replay the rest on the page.
    WorkersFailed(String),
    /// Replay the next waiting code on the page.
    CheckNext,
    /// Stop checking what is left (it stays handed in, and a reload checks it).
    Cancel,
    Clear,
}

impl ClassState {
    fn settle(&mut self, number: usize, replayed: Replayed) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.number == number) {
            settle(entry, replayed);
        }
        mark_duplicates(&mut self.entries);
    }

    /// Entries still waiting for a replay, and those checked.
    fn progress(&self) -> (usize, usize) {
        let checking = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Checking)
            .count();
        (checking, self.entries.len() - checking)
    }
}

impl Reducible for ClassState {
    type Action = ClassAction;

    fn reduce(self: Rc<Self>, action: ClassAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ClassAction::Add(source, text) => {
                let mut scenarios = scenarios_here(own_scenarios::text);
                for code in split_codes(&text) {
                    let number = next.entries.len() + 1;
                    match read(number, &source, &code, &mut scenarios) {
                        Reading::Done(entry) => next.entries.push(entry),
                        Reading::Replay {
                            entry,
                            code,
                            scenario,
                        } => {
                            next.entries.push(entry);
                            next.waiting.push(Waiting {
                                number,
                                code,
                                scenario,
                            });
                        }
                    }
                    next.handed_in.push((source.clone(), code));
                }
                keep(&next.handed_in);
            }
            ClassAction::Dispatched(count) => {
                let later = next.waiting.split_off(count.min(next.waiting.len()));
                next.batch = std::mem::replace(&mut next.waiting, later)
                    .into_iter()
                    .map(Some)
                    .collect();
                next.batch_id += 1;
            }
            ClassAction::Replayed {
                batch,
                index,
                replayed,
            } => {
                let returned = (batch == next.batch_id)
                    .then(|| next.batch.get_mut(index).and_then(Option::take))
                    .flatten();
                if let Some(waiting) = returned {
                    next.settle(waiting.number, replayed);
                }
                if next.batch.iter().all(Option::is_none) {
                    next.batch.clear();
                }
            }
            ClassAction::WorkersFailed(why) => {
                if next.on_page.is_none() {
                    next.on_page = Some(why);
                    // What the workers had not replayed goes first, in order.
                    let mut unreplayed: Vec<Waiting> = std::mem::take(&mut next.batch)
                        .into_iter()
                        .flatten()
                        .collect();
                    unreplayed.append(&mut next.waiting);
                    next.waiting = unreplayed;
                    next.batch_id += 1;
                }
            }
            ClassAction::CheckNext => {
                if !next.waiting.is_empty() {
                    let waiting = next.waiting.remove(0);
                    let replayed = replay(&waiting.code, &waiting.scenario);
                    next.settle(waiting.number, replayed);
                }
            }
            ClassAction::Cancel => {
                next.waiting.clear();
                next.batch.clear();
                next.batch_id += 1;
                next.entries.retain(|e| e.status != Status::Checking);
            }
            ClassAction::Clear => {
                next = ClassState {
                    batch_id: next.batch_id + 1,
                    ..ClassState::default()
                };
                storage::remove(CODES_KEY);
            }
        }
        Rc::new(next)
    }
}

/// Keeps the codes handed in, so a reload does not lose them (best effort: a browser
/// without storage still checks them now). Packed like a code: short, and damage is detected.
fn keep(handed_in: &[(String, String)]) {
    let _ = storage::write(CODES_KEY, &share::pack(KEPT_PREFIX, &handed_in));
}

/// The codes kept by an earlier visit; unreadable storage is reported, not dropped silently.
fn kept() -> Result<Vec<(String, String)>, String> {
    match storage::read(CODES_KEY) {
        None => Ok(Vec::new()),
        Some(text) => share::unpack(KEPT_PREFIX, "list of codes", &text).map_err(|e| {
            format!(
                "The codes kept from your last visit could not be read ({e}); paste them again."
            )
        }),
    }
}

#[function_component(ClassResults)]
pub fn class_results() -> Html {
    let state = use_reducer(ClassState::default);
    let paste = use_node_ref();
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let notice = use_state(|| None::<String>);
    // The workers replaying the current batch; dropping them stops them.
    let workers = use_mut_ref(|| None::<Workers>);
    // Workers started ahead of the next batch, so that it does not wait for them to load
    // the program (a teacher pastes codes for seconds; loading takes a fraction of one).
    let ahead = use_mut_ref(|| None::<Loaded>);

    // Codes kept from the last visit are checked again.
    {
        let (state, notice) = (state.clone(), notice.clone());
        use_effect_with((), move |()| match kept() {
            Ok(codes) => {
                for (source, code) in codes {
                    state.dispatch(ClassAction::Add(source, code));
                }
            }
            Err(message) => notice.set(Some(message)),
        });
    }
    // Waiting codes go to background workers, a batch at a time. Workers are let go when
    // their batch is done, or once the page replays instead (a late worker would only
    // spend the processor on reports that are ignored).
    {
        let (dispatcher, workers, ahead) = (state.dispatcher(), workers.clone(), ahead.clone());
        let busy = !state.batch.is_empty() && state.on_page.is_none();
        let idle = state.batch.is_empty() && state.on_page.is_none();
        let usable = state.on_page.is_none();
        let codes: Vec<(String, String)> = if idle {
            state
                .waiting
                .iter()
                .map(|w| (w.code.clone(), w.scenario.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let batch = state.batch_id + 1;
        use_effect_with((busy, codes), move |(busy, codes)| {
            if !*busy {
                workers.borrow_mut().take();
            }
            if !codes.is_empty() {
                let loaded = ahead.borrow_mut().take();
                let report = {
                    let dispatcher = dispatcher.clone();
                    move |report| {
                        dispatcher.dispatch(match report {
                            Report::Replayed(index, replayed) => ClassAction::Replayed {
                                batch,
                                index,
                                replayed,
                            },
                            Report::Failed(why) => ClassAction::WorkersFailed(why),
                            Report::Done(..) | Report::Replays(_) | Report::Lab(_) => return,
                        })
                    }
                };
                match seed_study::start_replays(loaded, codes, report) {
                    Ok(started) => {
                        *workers.borrow_mut() = Some(started);
                        dispatcher.dispatch(ClassAction::Dispatched(codes.len()));
                    }
                    Err(why) => dispatcher.dispatch(ClassAction::WorkersFailed(why)),
                }
            } else if !*busy && usable && ahead.borrow().is_none() {
                // Nothing to check now: have workers ready for the next codes. (Where
                // workers cannot start, the batch that needs them says so.)
                *ahead.borrow_mut() = Loaded::ahead().ok();
            }
        });
    }
    // Without workers: one replay per timer turn, so the page paints progress between codes.
    {
        let dispatcher = state.dispatcher();
        let on_page = state.on_page.is_some();
        use_effect_with(
            (on_page, state.waiting.len(), state.entries.len()),
            move |(on_page, waiting, _)| {
                let timer = (*on_page && *waiting > 0)
                    .then(|| Timeout::new(0, move || dispatcher.dispatch(ClassAction::CheckNext)));
                move || drop(timer)
            },
        );
    }

    let on_check = {
        let (state, paste) = (state.clone(), paste.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = paste.cast::<HtmlTextAreaElement>() {
                let text = area.value();
                if !text.trim().is_empty() {
                    state.dispatch(ClassAction::Add("pasted".to_string(), text));
                    area.set_value("");
                }
            }
        })
    };
    let read_files = {
        let (state, readers, notice) = (state.clone(), readers.clone(), notice.clone());
        Callback::from(move |files: web_sys::FileList| {
            for index in 0..files.length() {
                let Some(file) = files.get(index) else {
                    continue;
                };
                let file = GlooFile::from(file);
                let name = file.name();
                let (state, notice) = (state.clone(), notice.clone());
                let task = read_as_text(&file, move |text| match text {
                    Ok(text) => state.dispatch(ClassAction::Add(name, text)),
                    Err(error) => {
                        notice.set(Some(format!("{name}: cannot read the file: {error}")))
                    }
                });
                readers.borrow_mut().push(task);
            }
        })
    };
    let on_files = {
        let read_files = read_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                read_files.emit(files);
            }
            input.set_value("");
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
            read_files.emit(files);
        }
    });
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_cancel = {
        let (state, workers) = (state.clone(), workers.clone());
        Callback::from(move |_: MouseEvent| {
            workers.borrow_mut().take();
            state.dispatch(ClassAction::Cancel);
        })
    };
    let on_clear = {
        let (state, workers) = (state.clone(), workers.clone());
        Callback::from(move |_: MouseEvent| {
            workers.borrow_mut().take();
            state.dispatch(ClassAction::Clear);
        })
    };
    let on_csv = {
        let (entries, notice) = (state.entries.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(error) = download::save("class-results.csv", "text/csv", &to_csv(&entries)) {
                notice.set(Some(error));
            }
        })
    };

    let (checking, done) = state.progress();
    let total = state.entries.len();
    let usual = usual_conditions(&state.entries);
    let class_groups = groups(&state.entries);
    let count_of = |word: &str| {
        state
            .entries
            .iter()
            .filter(|e| e.status.word() == word)
            .count()
    };

    html! {
        <main class="class-page">
            <header class="page-header">
                <a class="brand" href="#/">{ "Ops Dojo" }</a>
                <h1>{ "Class results" }</h1>
            </header>
            <section class="class-intro" aria-labelledby="how-title">
                <h2 id="how-title">{ "How it works" }</h2>
                <ol>
                    <li>{ "Give the class one play link (the same scenario and seed for everyone), from the " }<a href="#/">{ "home page" }</a>{ "." }</li>
                    <li>{ "At the end of the run each student copies their result code, or saves it as a file." }</li>
                    <li>{ "Paste the codes here (any number, in any text), or drop the files. Each code is replayed: the same scenario, seed and actions must give the numbers it claims." }</li>
                </ol>
                <p class="hint">{ "Everything happens in this browser: no account, nothing uploaded. A teacher's own scenario must be loaded on the home page first." }</p>
            </section>
            <section class="class-input" aria-labelledby="codes-title">
                <h2 id="codes-title">{ "Codes handed in" }</h2>
                <label for="class-codes">{ "Paste result codes (one or many)" }</label>
                <textarea id="class-codes" ref={paste} rows="5" spellcheck="false"
                    placeholder={format!("{}…", ops_dojo_engine::share::PREFIX)} />
                <div class="buttons">
                    <button id="check-codes" type="button" class="primary" onclick={on_check}>{ "Check codes" }</button>
                    <div class="drop-zone inline" ondrop={on_drop} ondragover={on_drag_over}>
                        <label for="class-files">{ "…or choose or drop code files" }</label>
                        <input id="class-files" type="file" multiple=true accept=".txt,text/plain" onchange={on_files} />
                    </div>
                </div>
                if let Some(message) = &*notice {
                    <p class="field-error" role="alert">{ message }</p>
                }
                if let Some(why) = &state.on_page {
                    <p class="hint" id="class-on-page">{ format!("The codes are replayed on this page, one at a time: background workers could not start ({why}).") }</p>
                }
                <p id="class-progress" role="status" class="class-progress">
                    if checking > 0 {
                        { if state.on_page.is_some() {
                            format!("Replaying code {} of {}…", done + 1, total)
                        } else {
                            format!("Replaying the codes in the background: {done} of {total} checked…")
                        } }
                        <button id="cancel-check" type="button" onclick={on_cancel}>{ "Cancel" }</button>
                    } else if total > 0 {
                        { format!("{} checked: {} verified, {} mismatch, {} invalid, {} duplicate.",
                            total, count_of("verified"), count_of("mismatch"), count_of("invalid"), count_of("duplicate")) }
                    }
                </p>
            </section>
            if !state.entries.is_empty() {
                if let Some((scenario, seed)) = &usual {
                    <p class="class-conditions">{ format!("Most of the class played “{scenario}” with seed {seed}. Entries on other conditions are marked: their numbers are not comparable.") }</p>
                }
                if !class_groups.is_empty() {
                    <section class="class-summary" aria-labelledby="by-role-title">
                        <h2 id="by-role-title">{ "The class by role" }</h2>
                        <p class="hint">{ "Verified runs only. Each cell: the median, and the range the middle 80 % of the class fell in (10th to 90th percentile)." }</p>
                        { metric_table(&MetricTableProps { id: "class-by-role".into(), columns: role_columns(&class_groups) }) }
                        { trade_off_chart(&TradeOffChartProps { id: "class-chart".into(), points: trade_off_points(&state.entries), groups: Seat::ALL.iter().map(|s| AttrValue::from(s.label())).collect::<Vec<_>>() }) }
                    </section>
                }
                <section aria-labelledby="entries-title">
                    <h2 id="entries-title">{ "Every code" }</h2>
                    { entries_table(&state.entries, usual.as_ref()) }
                    <div class="buttons">
                        <button id="download-csv" type="button" onclick={on_csv}>{ "Download as CSV" }</button>
                        <button id="clear-codes" type="button" onclick={on_clear}>{ "Clear the list" }</button>
                    </div>
                </section>
            }
        </main>
    }
}

/// Verified runs as dots, grouped by seat.
fn trade_off_points(entries: &[Entry]) -> Vec<TradeOffPoint> {
    entries
        .iter()
        .filter_map(|e| {
            let card = e.card.as_ref()?;
            Some(TradeOffPoint {
                budget_left: card.get("budget_left")?,
                features: card.get("features_shipped")?,
                group: Seat::ALL.iter().position(|s| Some(*s) == e.seat)?,
                label: format!("#{} {}", e.number, e.player),
            })
        })
        .collect()
}

/// A column per role: each metric's median, and the middle 80 % of the class.
fn role_columns(class_groups: &[Group]) -> Vec<MetricColumn> {
    class_groups
        .iter()
        .map(|g| MetricColumn {
            heading: format!(
                "{} ({} run{})",
                g.seat.label(),
                g.runs,
                if g.runs == 1 { "" } else { "s" }
            ),
            note: None,
            tier: g.tier.clone(),
            cells: METRICS
                .iter()
                .zip(&g.spreads)
                .map(|(metric, spread)| Cell {
                    text: spread_text(metric, spread.as_ref()),
                    best: false,
                })
                .collect(),
        })
        .collect()
}

/// Every entry with its status and headline numbers.
fn entries_table(entries: &[Entry], usual: Option<&(String, u64)>) -> Html {
    let shown = ["budget_left", "features_shipped", "deployments", "pages"];
    html! {
        <div class="table-wide">
            <table id="class-entries" class="compare-table">
                <thead>
                    <tr>
                        { column_heads(&["#", "Player", "Role", "Check", "Scenario, seed"]) }
                        { for shown.iter().filter_map(|id| METRICS.iter().find(|m| m.id == *id)).map(|m| html! {
                            <th scope="col">{ m.label }</th>
                        }) }
                        <th scope="col">{ "DORA tier" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for entries.iter().map(|e| {
                        let unusual = match (usual, e.seed) {
                            (Some((scenario, seed)), Some(own)) => *scenario != e.scenario || *seed != own,
                            _ => false,
                        };
                        html! {
                            <tr class={classes!("entry", format!("status-{}", e.status.word()))} data-status={e.status.word()}>
                                <td>{ e.number }</td>
                                <td>{ if e.player.is_empty() { "(no name)".to_string() } else { e.player.clone() } }
                                    <span class="entry-source">{ format!(" · {}", e.source) }</span></td>
                                <td>{ e.seat.map_or("—", |s| s.label()) }</td>
                                <td class="entry-status">
                                    <strong>{ format!("{} {}", e.status.mark(), e.status.word()) }</strong>
                                    if !matches!(e.status, Status::Verified) {
                                        <span class="entry-detail">{ format!(": {}", e.status.detail()) }</span>
                                    }
                                </td>
                                <td>
                                    { e.seed.map_or_else(|| "—".to_string(), |seed| format!("{} · {seed}", e.scenario)) }
                                    if unusual { <span class="entry-unusual">{ " (other conditions)" }</span> }
                                </td>
                                { for shown.iter().map(|id| {
                                    let metric = METRICS.iter().find(|m| m.id == *id).expect("listed metric");
                                    html! { <td>{ e.card.as_ref().and_then(|c| c.get(id)).map_or("—".to_string(), |v| metric_value(metric, v)) }</td> }
                                }) }
                                <td>{ e.card.as_ref().and_then(|c| c.tier).map_or("—", |t| t.label()) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class_results::tests::finished_code;

    fn replayed(code: &str) -> Replayed {
        replay(code, &own_scenarios::text("first-slo").expect("built in"))
    }

    #[test]
    fn replays_settle_in_any_order_and_without_workers_the_rest_replays_here() {
        let (ada, grace) = (finished_code(1, "Ada"), finished_code(2, "Grace"));
        let state = Rc::new(ClassState::default()).reduce(ClassAction::Add(
            "pasted".into(),
            format!("{ada}\n{grace}\n{ada}"),
        ));
        assert_eq!(state.progress(), (3, 0));
        // Codes added after the workers were given theirs wait for the next batch.
        let partly = state.clone().reduce(ClassAction::Dispatched(2));
        assert_eq!((partly.batch.len(), partly.waiting.len()), (2, 1));
        assert_eq!(partly.waiting[0].number, 3);
        let state = state.reduce(ClassAction::Dispatched(3));
        assert_eq!((state.batch.len(), state.waiting.len()), (3, 0));
        // The last code comes back first; a report of an older batch is ignored.
        let state = state.reduce(ClassAction::Replayed {
            batch: 1,
            index: 2,
            replayed: replayed(&ada),
        });
        let stale = state.clone().reduce(ClassAction::Replayed {
            batch: 0,
            index: 0,
            replayed: replayed(&ada),
        });
        assert_eq!(stale.entries, state.entries);
        assert_eq!(state.entries[2].status, Status::Verified);
        // The first one then makes the third a duplicate of it, whatever the order.
        let state = state.reduce(ClassAction::Replayed {
            batch: 1,
            index: 0,
            replayed: replayed(&ada),
        });
        assert_eq!(state.entries[0].status, Status::Verified);
        assert_eq!(state.entries[2].status, Status::Duplicate(1));
        // The workers fail: what they had not replayed waits for the page.
        let state = state.reduce(ClassAction::WorkersFailed("no workers".into()));
        assert!(state.batch.is_empty());
        assert_eq!(state.waiting.len(), 1);
        assert_eq!(state.waiting[0].number, 2);
        let state = state.reduce(ClassAction::CheckNext);
        assert_eq!(state.entries[1].status, Status::Verified);
        assert_eq!(state.entries[1].player, "Grace");
        assert_eq!(state.progress(), (0, 3));
    }

    #[test]
    fn cancel_drops_only_what_was_not_replayed() {
        let ada = finished_code(1, "Ada");
        let state = Rc::new(ClassState::default())
            .reduce(ClassAction::Add(
                "pasted".into(),
                format!("hello\n{ada}\n{ada}"),
            ))
            .reduce(ClassAction::Dispatched(3))
            .reduce(ClassAction::Replayed {
                batch: 1,
                index: 0,
                replayed: replayed(&ada),
            })
            .reduce(ClassAction::Cancel);
        let statuses: Vec<&str> = state.entries.iter().map(|e| e.status.word()).collect();
        assert_eq!(statuses, ["invalid", "verified"]);
        assert!(state.batch.is_empty() && state.waiting.is_empty());
        assert_eq!(
            state.handed_in.len(),
            3,
            "what was handed in stays handed in"
        );
    }
}
