//! The learner's progress through the scenarios, kept in this browser: for each scenario and
//! seat, that a run of it was played to the end, and the most objectives met in one run.
//!
//! Kept as a few lines of text under one key, with a version line first, so it can be read
//! back by a later version of the app and saved as a file to move it to another browser.
//! Kept data that cannot be read is set aside (like saved runs), never deleted: the lines
//! that can be read are kept, the rest waits under its own key, offered for download.

use ops_dojo_engine::Role;

use crate::route::Seat;
use crate::storage;

/// Where progress is kept.
const KEY: &str = "ops-dojo/progress";
/// Where progress that could not be read is set aside.
const DAMAGED_KEY: &str = "ops-dojo/damaged/ops-dojo/progress";
/// The first line of the text: what it is, and the version of its format.
pub const HEADER: &str = "ops-dojo progress 1";

/// The best of the finished runs of one scenario in one seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    /// Most objectives met in one finished run.
    pub met: u32,
    /// Objectives the scenario sets.
    pub total: u32,
}

/// Every scenario and seat finished in this browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// By (scenario id, seat id), in key order: a sorted list (a few dozen entries) ships
    /// less code in the page than a map.
    finished: Vec<((String, String), Finished)>,
}

/// What reading kept progress found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// Everything that could be read.
    pub progress: Progress,
    /// Why some of it could not be read (then the text is set aside), if so.
    pub problem: Option<String>,
}

impl Progress {
    /// Reads the text of [`Progress::encode`]. Lines that cannot be read are skipped and
    /// named in `problem`, so one damaged line never costs the others.
    pub fn parse(text: &str) -> Read {
        let mut progress = Progress::default();
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        match lines.next() {
            Some(HEADER) => {}
            Some(other) if other.starts_with("ops-dojo progress ") => {
                return Read {
                    progress,
                    problem: Some(format!(
                        "the progress was kept by another version of Ops Dojo (“{}”)",
                        crate::route::shorten(other, 40)
                    )),
                }
            }
            None => {
                return Read {
                    progress,
                    problem: None,
                }
            }
            Some(_) => {
                return Read {
                    progress,
                    problem: Some("this is not Ops Dojo progress".to_string()),
                }
            }
        }
        let mut bad = Vec::new();
        for (number, line) in lines.enumerate() {
            match parse_line(line) {
                Some((scenario, seat, finished)) => {
                    progress.record(&scenario, seat, finished);
                }
                None => bad.push((number + 2).to_string()),
            }
        }
        let problem = (!bad.is_empty()).then(|| {
            format!(
                "line{} {} of the kept progress could not be read",
                if bad.len() == 1 { "" } else { "s" },
                bad.join(", ")
            )
        });
        Read { progress, problem }
    }

    /// The text kept in the browser and in a progress file.
    pub fn encode(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for ((scenario, seat), f) in &self.finished {
            text += &format!("{scenario}\t{seat}\t{}\t{}\n", f.met, f.total);
        }
        text
    }

    /// Notes a finished run; keeps the better count of objectives met. Whether anything
    /// changed.
    pub fn record(&mut self, scenario: &str, seat: Seat, finished: Finished) -> bool {
        if !valid_id(scenario) {
            return false;
        }
        let key = (scenario.to_string(), seat.id().to_string());
        match self.find(&key) {
            Ok(at) => {
                let kept = &mut self.finished[at].1;
                let better = finished.met > kept.met || finished.total != kept.total;
                if better {
                    *kept = finished;
                }
                better
            }
            Err(at) => {
                self.finished.insert(at, (key, finished));
                true
            }
        }
    }

    /// Adds everything in `other` (a progress file opened on this browser).
    pub fn merge(&mut self, other: &Progress) -> bool {
        let mut changed = false;
        for ((scenario, seat), finished) in &other.finished {
            if let Some(seat) = Seat::parse(seat) {
                changed |= self.record(scenario, seat, *finished);
            }
        }
        changed
    }

    /// Where `key` is in the sorted list, or where it would go.
    fn find(&self, key: &(String, String)) -> Result<usize, usize> {
        self.finished.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// The best finished run of `scenario` in `seat`, if any.
    pub fn get(&self, scenario: &str, seat: Seat) -> Option<Finished> {
        self.find(&(scenario.to_string(), seat.id().to_string()))
            .ok()
            .map(|at| self.finished[at].1)
    }

    /// Whether `scenario` was finished playing `role` (alone, or both roles at once).
    pub fn has_played(&self, scenario: &str, role: Role) -> bool {
        self.get(scenario, Seat::One(role)).is_some() || self.get(scenario, Seat::Both).is_some()
    }

    /// Whether any scenario was finished playing `role`.
    pub fn has_played_anything(&self, role: Role) -> bool {
        self.finished
            .iter()
            .any(|((_, seat), _)| Seat::parse(seat).is_some_and(|seat| seat.plays(role)))
    }

    pub fn is_empty(&self) -> bool {
        self.finished.is_empty()
    }
}

/// Scenario ids as the app writes them in links: no separators of this format in them.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 200 && !id.chars().any(|c| c.is_control())
}

fn parse_line(line: &str) -> Option<(String, Seat, Finished)> {
    let mut fields = line.split('\t');
    let scenario = fields.next().filter(|id| valid_id(id))?;
    let seat = Seat::parse(fields.next()?)?;
    let met = fields.next()?.parse().ok()?;
    let total = fields.next()?.parse().ok()?;
    if fields.next().is_some() || met > total {
        return None;
    }
    Some((scenario.to_string(), seat, Finished { met, total }))
}

/// The progress kept in this browser (reading only: [`set_aside_damaged`] keeps what cannot
/// be read before anything overwrites it).
pub fn load() -> Read {
    match storage::read(KEY) {
        Some(text) => Progress::parse(&text),
        None => Read {
            progress: Progress::default(),
            problem: None,
        },
    }
}

/// Keeps the kept text under its own key if part of it cannot be read (once: a copy set
/// aside earlier is not overwritten), so rewriting the progress never loses it.
pub fn set_aside_damaged() {
    let Some(text) = storage::read(KEY) else {
        return;
    };
    if Progress::parse(&text).problem.is_some() && storage::read(DAMAGED_KEY).is_none() {
        let _ = storage::write(DAMAGED_KEY, &text);
    }
}

/// The text set aside because it could not be read, if any (offered for download).
pub fn set_aside() -> Option<String> {
    storage::read(DAMAGED_KEY)
}

/// Notes a finished run in this browser's progress.
pub fn record_finished(scenario: &str, seat: Seat, finished: Finished) -> Result<(), String> {
    set_aside_damaged();
    let mut progress = load().progress;
    if progress.record(scenario, seat, finished) || storage::read(KEY).is_none() {
        storage::write(KEY, &progress.encode())?;
    }
    Ok(())
}

/// Adds a progress file's contents to this browser's progress; how many entries it held.
pub fn import(text: &str) -> Result<usize, String> {
    let read = Progress::parse(text);
    if let Some(problem) = read.problem {
        if read.progress.is_empty() {
            return Err(problem);
        }
    }
    set_aside_damaged();
    let mut progress = load().progress;
    progress.merge(&read.progress);
    storage::write(KEY, &progress.encode())?;
    Ok(read.progress.finished.len())
}

/// Whether a file's text is a progress file (rather than a saved run).
pub fn is_progress_file(text: &str) -> bool {
    text.trim_start().starts_with("ops-dojo progress ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRE: Seat = Seat::One(Role::Sre);
    const DEVOPS: Seat = Seat::One(Role::Devops);

    #[test]
    fn progress_round_trips_and_keeps_the_best_run() {
        let mut progress = Progress::default();
        assert!(progress.record("first-slo", SRE, Finished { met: 1, total: 2 }));
        assert!(progress.record("first-slo", SRE, Finished { met: 2, total: 2 }));
        assert!(!progress.record("first-slo", SRE, Finished { met: 0, total: 2 }));
        assert!(progress.record("toil", Seat::Both, Finished { met: 0, total: 1 }));
        let text = progress.encode();
        assert!(text.starts_with("ops-dojo progress 1\n"), "{text}");
        let read = Progress::parse(&text);
        assert_eq!(read.problem, None);
        assert_eq!(read.progress, progress);
        assert_eq!(
            read.progress.get("first-slo", SRE),
            Some(Finished { met: 2, total: 2 })
        );
        assert!(
            read.progress.has_played("toil", Role::Devops),
            "both seats count"
        );
        assert!(!read.progress.has_played("first-slo", Role::Devops));
        assert!(
            read.progress.has_played_anything(Role::Devops),
            "toil as both"
        );
        let mut sre_only = Progress::default();
        sre_only.record("first-slo", SRE, Finished { met: 0, total: 2 });
        assert!(!sre_only.has_played_anything(Role::Devops));
    }

    #[test]
    fn damaged_lines_cost_only_themselves() {
        let text = "ops-dojo progress 1\nfirst-slo\tsre\t1\t2\ngarbage\ntoil\twizard\t0\t1\nfriday-deploy\tdevops\t3\t3\n";
        let read = Progress::parse(text);
        assert_eq!(
            read.problem.as_deref(),
            Some("lines 3, 4 of the kept progress could not be read")
        );
        assert!(read.progress.get("first-slo", SRE).is_some());
        assert!(read.progress.get("friday-deploy", DEVOPS).is_some());
        let newer = Progress::parse("ops-dojo progress 9\nx\ty\n");
        assert!(newer.problem.expect("refused").contains("another version"));
        assert!(Progress::parse("hello").problem.is_some());
        assert_eq!(Progress::parse("").problem, None);
        // More objectives met than there are is not a record this app wrote.
        assert!(Progress::parse("ops-dojo progress 1\nx\tsre\t3\t2")
            .problem
            .is_some());
    }

    #[test]
    fn a_progress_file_merges_into_what_is_kept() {
        let mut here = Progress::default();
        here.record("first-slo", SRE, Finished { met: 1, total: 2 });
        let mut there = Progress::default();
        there.record("first-slo", SRE, Finished { met: 2, total: 2 });
        there.record("toil", DEVOPS, Finished { met: 0, total: 1 });
        assert!(here.merge(&there));
        assert_eq!(here, there);
        assert!(is_progress_file(&there.encode()));
        assert!(!is_progress_file("ODS1-abc"));
    }
}
