//! The Class results page's logic, free of any page code: result codes split out of pasted
//! text or files, each one replayed against its scenario and marked verified, mismatch or
//! invalid, and the class summed up by role. The replay is the check (determinism), so a
//! code that verifies shows the numbers the student really got.
//!
//! Checking a code has a cheap part, reading it ([`read`], on the page), and a costly one,
//! replaying its whole run ([`replay`], in a background worker: see `seed_study`).

use ops_dojo_engine::scorecard::{spreads, usual_tier, Scorecard, Spread, METRICS};
use ops_dojo_engine::share::{CodeError, ResultCode, PREFIX};
use ops_dojo_engine::Scenario;

use crate::route::{shorten, Seat};

/// What the check of one handed-in code found.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// The replay reproduces the claim.
    Verified,
    /// The code reads, but its claim is not what the replay gives (or the replay refused
    /// an action): edited, or made with another version of the scenario.
    Mismatch(String),
    /// Not a readable code, or for a scenario this browser does not have.
    Invalid(String),
    /// The same run as an earlier entry (its number).
    Duplicate(usize),
    /// Read, and waiting for its replay.
    Checking,
}

impl Status {
    /// One word for the status column (shown with a mark, never colour alone).
    pub fn word(&self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Mismatch(_) => "mismatch",
            Status::Invalid(_) => "invalid",
            Status::Duplicate(_) => "duplicate",
            Status::Checking => "checking",
        }
    }

    pub fn mark(&self) -> &'static str {
        match self {
            Status::Verified => "✓",
            Status::Mismatch(_) => "✗",
            Status::Invalid(_) => "⚠",
            Status::Duplicate(_) => "=",
            Status::Checking => "…",
        }
    }

    /// Why, in words; empty when verified.
    pub fn detail(&self) -> String {
        match self {
            Status::Verified => String::new(),
            Status::Checking => "its run is being replayed".to_string(),
            Status::Mismatch(why) | Status::Invalid(why) => why.clone(),
            Status::Duplicate(of) => format!("the same run as entry {of}"),
        }
    }
}

/// One handed-in code, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Position in what was handed in, from 1.
    pub number: usize,
    /// Where it came from: a file name, or "pasted".
    pub source: String,
    pub player: String,
    /// The scenario's id as the code names it (empty when unreadable).
    pub scenario: String,
    pub seed: Option<u64>,
    pub seat: Option<Seat>,
    pub status: Status,
    /// The replayed run's numbers (verified codes only).
    pub card: Option<Scorecard>,
    pub run_hash: Option<String>,
}

/// Splits text into codes: each starts at `OD<digits>-` and runs to the next one, line
/// breaks and spaces inside included (mail and chat wrap long codes). Text before the first
/// code that is not blank is returned too, so it is reported rather than silently dropped.
pub fn split_codes(text: &str) -> Vec<String> {
    let starts: Vec<usize> = text
        .match_indices("OD")
        .map(|(i, _)| i)
        .filter(|&i| {
            let rest = &text[i + 2..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with('-')
        })
        .collect();
    let mut pieces = Vec::new();
    let head = &text[..starts.first().copied().unwrap_or(text.len())];
    if !head.trim().is_empty() {
        pieces.push(head.trim().to_string());
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        pieces.push(text[start..end].trim().to_string());
    }
    pieces
}

/// A code as read on the page, before any replay.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Checked already: not a code, or its scenario is missing here or does not read.
    Done(Entry),
    /// Waiting for its replay: the entry (status [`Status::Checking`]), the code's text and
    /// its scenario's file text, which is all a worker needs.
    Replay {
        entry: Entry,
        code: String,
        scenario: String,
    },
}

/// Where codes find their scenarios: by id, its file text if it reads (or why it does not),
/// `None` if this browser does not have it.
pub type ScenarioTexts<'a> = dyn FnMut(&str) -> Option<Result<String, String>> + 'a;

/// The scenarios of this browser (built in, or loaded here), each read once however many
/// codes name it: a class's codes mostly share one.
pub fn scenarios_here(
    text_of: impl Fn(&str) -> Option<String>,
) -> impl FnMut(&str) -> Option<Result<String, String>> {
    let mut seen: Vec<(String, Option<Result<String, String>>)> = Vec::new();
    move |id: &str| {
        if let Some((_, known)) = seen.iter().find(|(seen_id, _)| seen_id == id) {
            return known.clone();
        }
        let found = text_of(id).map(|text| {
            Scenario::parse(&text, &scenario_file(id))
                .map(|_| text)
                .map_err(|error| error.to_string())
        });
        seen.push((id.to_string(), found.clone()));
        found
    }
}

/// Reads one code (cheap: no run is played). `number` is its position in the class list.
pub fn read(number: usize, source: &str, text: &str, scenarios: &mut ScenarioTexts) -> Reading {
    let mut entry = Entry {
        number,
        source: source.to_string(),
        player: String::new(),
        scenario: String::new(),
        seed: None,
        seat: None,
        status: Status::Checking,
        card: None,
        run_hash: None,
    };
    let code = match ResultCode::decode(text) {
        Ok(code) => code,
        Err(error) => {
            entry.status = Status::Invalid(match error {
                CodeError::Prefix { .. } => format!(
                    "“{}” is not a result code (codes start with {PREFIX})",
                    shorten(text, 30)
                ),
                other => other.to_string(),
            });
            return Reading::Done(entry);
        }
    };
    entry.player = code.player.clone();
    entry.scenario = code.scenario.clone();
    entry.seed = Some(code.seed);
    entry.seat = Seat::of_roles(&code.roles);
    let scenario = match scenarios(&code.scenario) {
        Some(Ok(text)) => text,
        Some(Err(error)) => {
            entry.status = Status::Invalid(format!(
                "its scenario “{}” is loaded here but does not read: {error}",
                code.scenario
            ));
            return Reading::Done(entry);
        }
        None => {
            entry.status = Status::Invalid(format!(
                "scenario “{}” is not in this browser: load its file on the home page, then check again",
                code.scenario
            ));
            return Reading::Done(entry);
        }
    };
    Reading::Replay {
        entry,
        code: text.to_string(),
        scenario,
    }
}

fn scenario_file(id: &str) -> String {
    format!("{id}.toml")
}

/// What a replay found: the run's scorecard and hash, or why the code's claim does not hold.
pub type Replayed = Result<(Scorecard, String), String>;

/// Replays a code's run on its scenario's text: the whole run, the costly part of a check.
pub fn replay(code: &str, scenario: &str) -> Replayed {
    let code = ResultCode::decode(code).map_err(|e| e.to_string())?;
    let scenario =
        Scenario::parse(scenario, &scenario_file(&code.scenario)).map_err(|e| e.to_string())?;
    let sim = code.verify(scenario).map_err(|e| e.to_string())?;
    let summary = sim.summary();
    Ok((Scorecard::of(&summary), summary.run_hash))
}

/// Writes what the replay found into the entry.
pub fn settle(entry: &mut Entry, replayed: Replayed) {
    match replayed {
        Ok((card, run_hash)) => {
            entry.status = Status::Verified;
            entry.card = Some(card);
            entry.run_hash = Some(run_hash);
        }
        Err(why) => entry.status = Status::Mismatch(why),
    }
}

/// Reads and replays one code at once (the page does the two apart).
#[cfg(test)]
pub fn check(
    number: usize,
    source: &str,
    text: &str,
    find_text: impl Fn(&str) -> Option<String>,
) -> Entry {
    match read(number, source, text, &mut scenarios_here(find_text)) {
        Reading::Done(entry) => entry,
        Reading::Replay {
            mut entry,
            code,
            scenario,
        } => {
            settle(&mut entry, replay(&code, &scenario));
            entry
        }
    }
}

/// Marks entries that repeat an earlier verified run by the same player (a code pasted
/// twice would count twice in the class's spread).
pub fn mark_duplicates(entries: &mut [Entry]) {
    // A class is tens of codes: a scan beats a hash map, and ships less code.
    for i in 0..entries.len() {
        let Some(hash) = entries[i].run_hash.clone() else {
            continue;
        };
        let first = entries[..i].iter().find(|earlier| {
            earlier.card.is_some()
                && earlier.player == entries[i].player
                && earlier.run_hash.as_ref() == Some(&hash)
        });
        if let Some(first) = first.map(|e| e.number) {
            entries[i].status = Status::Duplicate(first);
            entries[i].card = None;
        }
    }
}

/// The scenario and seed most of the class played: a class shares one seed, so an entry on
/// other conditions is worth a teacher's look. Ties go to the first handed in.
pub fn usual_conditions(entries: &[Entry]) -> Option<(String, u64)> {
    let played: Vec<(&str, u64)> = entries
        .iter()
        .filter_map(|e| Some((e.scenario.as_str(), e.seed?)))
        .collect();
    let count = |key: &(&str, u64)| played.iter().filter(|k| *k == key).count();
    let best = played.iter().map(count).max()?;
    played
        .iter()
        .find(|key| count(key) == best)
        .map(|(scenario, seed)| (scenario.to_string(), *seed))
}

/// The verified runs of one seat, with the spread of every metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub seat: Seat,
    pub runs: usize,
    /// Per metric, in [`METRICS`] order.
    pub spreads: Vec<Option<Spread>>,
    /// The DORA tier most of the group reached, and how many did ("High (3 of 5)").
    pub tier: String,
}

/// The class by role: one group per seat with verified runs, in seat order.
pub fn groups(entries: &[Entry]) -> Vec<Group> {
    Seat::ALL
        .into_iter()
        .filter_map(|seat| {
            let cards: Vec<&Scorecard> = entries
                .iter()
                .filter(|e| e.seat == Some(seat))
                .filter_map(|e| e.card.as_ref())
                .collect();
            (!cards.is_empty()).then(|| Group {
                seat,
                runs: cards.len(),
                tier: usual_tier(&cards),
                spreads: spreads(&cards),
            })
        })
        .collect()
}

/// The class table as CSV (RFC 4180 quoting), one row per entry and a column per metric,
/// for a spreadsheet or a grade book.
pub fn to_csv(entries: &[Entry]) -> String {
    let mut header = vec![
        "entry",
        "source",
        "player",
        "status",
        "detail",
        "scenario",
        "seed",
        "role",
        "dora_tier",
        "run_hash",
    ];
    header.extend(METRICS.iter().map(|m| m.id));
    let mut out = header.join(",") + "\r\n";
    for e in entries {
        let mut row = vec![
            e.number.to_string(),
            e.source.clone(),
            e.player.clone(),
            e.status.word().to_string(),
            e.status.detail(),
            e.scenario.clone(),
            e.seed.map(|s| s.to_string()).unwrap_or_default(),
            e.seat.map(|s| s.id().to_string()).unwrap_or_default(),
            e.card
                .as_ref()
                .and_then(|c| c.tier)
                .map(|t| t.label().to_string())
                .unwrap_or_default(),
            e.run_hash.clone().unwrap_or_default(),
        ];
        row.extend((0..METRICS.len()).map(|i| {
            e.card
                .as_ref()
                .and_then(|c| c.values[i])
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        let line: Vec<String> = row.iter().map(|field| csv_field(field)).collect();
        out += &line.join(",");
        out += "\r\n";
    }
    out
}

/// One CSV field: quoted when it holds a comma, quote or line break (quotes doubled), and
/// prefixed with an apostrophe when a spreadsheet would run it as a formula (a student's
/// name is untrusted text).
pub fn csv_field(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err() {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use ops_dojo_engine::{Policy, Role, Simulation};

    use super::*;

    pub(crate) fn finished_code(seed: u64, player: &str) -> String {
        let mut scenario = ops_dojo_engine::catalog::load("first-slo")
            .expect("built in")
            .expect("parses");
        scenario.days = ops_dojo_engine::scenario::Bounded(1);
        let mut sim = Simulation::new(scenario, seed);
        sim.add_bot(Role::Devops, Policy::Balanced);
        while sim.step().is_some() {}
        ResultCode::of(&sim, vec![Role::Sre]).by(player).encode()
    }

    #[test]
    fn codes_are_split_out_of_pasted_text() {
        let a = finished_code(1, "Ada");
        let b = finished_code(2, "Grace");
        // Wrapped by a mail client, with a greeting before and a blank line between.
        let wrapped_b: String = b
            .chars()
            .collect::<Vec<_>>()
            .chunks(50)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        let text = format!("Hi, here are ours:\n{a}\n\n{wrapped_b}\n");
        let pieces = split_codes(&text);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0], "Hi, here are ours:");
        assert_eq!(pieces[1], a);
        let entries: Vec<Entry> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| check(i + 1, "pasted", p, crate::own_scenarios::text))
            .collect();
        assert!(
            matches!(entries[0].status, Status::Invalid(ref why) if why.contains("not a result code"))
        );
        assert_eq!(
            entries[1].status,
            Status::Verified,
            "{:?}",
            entries[1].status
        );
        assert_eq!(
            entries[2].status,
            Status::Verified,
            "{:?}",
            entries[2].status
        );
        assert_eq!(entries[2].player, "Grace");
        assert_eq!(entries[2].seat, Some(Seat::One(Role::Sre)));
        assert!(split_codes("  \n ").is_empty());
    }

    #[test]
    fn tampered_unknown_and_repeated_codes_are_marked() {
        let code = finished_code(5, "Ada");
        let mut claim = ResultCode::decode(&code).expect("reads");
        claim.claim.pages += 3;
        let tampered = check(1, "pasted", &claim.encode(), crate::own_scenarios::text);
        assert!(
            matches!(tampered.status, Status::Mismatch(_)),
            "{:?}",
            tampered.status
        );
        assert_eq!(tampered.card, None);

        let mut elsewhere = ResultCode::decode(&code).expect("reads");
        elsewhere.scenario = "teachers-own".to_string();
        let unknown = check(2, "pasted", &elsewhere.encode(), crate::own_scenarios::text);
        assert!(
            matches!(unknown.status, Status::Invalid(ref why) if why.contains("load its file"))
        );

        let cut = check(
            3,
            "ada.txt",
            &code[..code.len() / 2],
            crate::own_scenarios::text,
        );
        assert!(matches!(cut.status, Status::Invalid(_)), "{:?}", cut.status);

        // A code of the first format is refused as made by an older version.
        let old = check(4, "pasted", "OD1-AAECAwQ", crate::own_scenarios::text);
        assert!(
            matches!(old.status, Status::Invalid(ref why) if why.contains("older version")),
            "{:?}",
            old.status
        );

        let mut entries = vec![
            check(1, "pasted", &code, crate::own_scenarios::text),
            check(2, "pasted", &code, crate::own_scenarios::text),
        ];
        mark_duplicates(&mut entries);
        assert_eq!(entries[0].status, Status::Verified);
        assert_eq!(entries[1].status, Status::Duplicate(1));
        let groups = groups(&entries);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].runs, 1, "a duplicate does not count twice");
        assert_eq!(
            usual_conditions(&entries),
            Some(("first-slo".to_string(), 5))
        );
    }

    #[test]
    fn the_csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-0.25"), "-0.25");
        let entries = vec![check(
            1,
            "pasted",
            &finished_code(1, "O'Neil, Pat"),
            crate::own_scenarios::text,
        )];
        let csv = to_csv(&entries);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("entry,source,player,status"));
        assert!(lines[1].starts_with("1,pasted,\"O'Neil, Pat\",verified,,first-slo,1,sre,"));
        assert_eq!(
            lines[0].split(',').count(),
            10 + METRICS.len(),
            "a column per metric"
        );
    }
}
