//! The debrief: what happened in a run and what it cost, built only from the run's own
//! records — key moments with their measured effect, "what if" notes derived from the
//! record, and a reflection on how the person played (never a verdict).

use serde::Serialize;

use crate::clock::{format_duration, ClockTime, Tick, TICK_SECONDS};
use crate::delivery::{Stage, Strategy};
use crate::faults::describe_start;
use crate::freeze_request::Decision;
use crate::scenario::Role;
use crate::sim::{TickRecord, World};

/// A moment of the run and what it measurably did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moment {
    pub tick: Tick,
    pub what: String,
    /// Requests that failed from the moment until it was over (or the run ended).
    pub failed_requests: u64,
    /// Share of the headline SLO's budget spent over that time (negative: it grew back).
    pub budget_spent: f64,
}

/// How the person spread their actions over the two jobs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reflection {
    pub devops_actions: u32,
    pub sre_actions: u32,
    pub text: String,
}

/// Everything the debrief says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    pub moments: Vec<Moment>,
    pub what_if: Vec<String>,
    pub reflection: Reflection,
}

/// Most moments listed: the ones that spent the most budget.
const MAX_MOMENTS: usize = 12;

/// Failed requests and budget spent over ticks `from..to` of the records.
pub fn effect(records: &[TickRecord], from: Tick, to: Tick) -> (u64, f64) {
    let to = (to as usize).min(records.len());
    let from = (from as usize).min(to);
    let failed = records[from..to]
        .iter()
        .map(|r| u64::from(r.offered - r.good))
        .sum();
    let before = if from == 0 {
        records
            .first()
            .map_or(0.0, |r| f64::from(r.budget_remaining))
    } else {
        f64::from(records[from - 1].budget_remaining)
    };
    let after = to
        .checked_sub(1)
        .and_then(|i| records.get(i))
        .map_or(before, |r| f64::from(r.budget_remaining));
    (failed, before - after)
}

fn minutes(ticks: Tick) -> String {
    format_duration(f64::from(ticks * TICK_SECONDS))
}

impl Debrief {
    /// The debrief of a run, as far as it went.
    pub fn of(sim: &World) -> Self {
        let records = sim.records();
        let now = sim.tick();
        let scenario = sim.scenario();
        let mut moments = Vec::new();
        let mut moment = |tick: Tick, end: Tick, what: String| {
            let (failed_requests, budget_spent) = effect(records, tick, end.max(tick + 1));
            moments.push(Moment {
                tick,
                what,
                failed_requests,
                budget_spent,
            });
        };
        for incident in sim.incidents().all() {
            let end = incident.mitigated_at.unwrap_or(now);
            moment(
                incident.opened_at,
                end,
                format!(
                    "Incident #{} paged{}; mitigated after {}",
                    incident.number,
                    if incident.night { " at night" } else { "" },
                    incident
                        .mitigated_at
                        .map_or("— still open".to_string(), |m| minutes(
                            m - incident.opened_at
                        ))
                ),
            );
        }
        for fault in sim.faults().iter().filter(|f| f.start < now && f.ticks > 0) {
            let name = fault
                .service
                .map(|s| scenario.services[s].name.get_ref().as_str());
            moment(
                fault.start,
                fault.end().min(now),
                describe_start(fault, name),
            );
        }
        for d in sim.deploys() {
            let Some(defect) = d.defect.as_ref().or(d.defect_shipped.as_ref()) else {
                continue;
            };
            let Some(start) = d
                .live_at
                .or((d.stage == Stage::StoppedByCanary).then_some(d.committed_at))
            else {
                continue;
            };
            let end = d.recovered_at.unwrap_or(now);
            let how = match d.stage {
                Stage::StoppedByCanary => "the canary analysis stopped it".to_string(),
                _ => match d.recovered_at {
                    Some(at) => {
                        format!("users were back on good code after {}", minutes(at - start))
                    }
                    None => "it was still live at the end".to_string(),
                },
            };
            moment(
                start,
                end,
                format!(
                    "Deploy #{} ({}) carried a {}; {how}",
                    d.number,
                    d.strategy.label().to_ascii_lowercase(),
                    defect.kind.label()
                ),
            );
        }
        crate::order::sort_by(&mut moments, |a, b| {
            b.budget_spent.total_cmp(&a.budget_spent)
        });
        moments.truncate(MAX_MOMENTS);
        crate::order::sort_by_key(&mut moments, |m| m.tick);
        Debrief {
            moments,
            what_if: what_if(sim),
            reflection: reflection(sim),
        }
    }
}

/// "What if" notes, each derived from something the run recorded.
fn what_if(sim: &World) -> Vec<String> {
    let mut notes = Vec::new();
    let check = sim.canary_check();
    let timings = sim.timings();
    let canary_hours = f64::from(timings.canary) / f64::from(crate::clock::TICKS_PER_HOUR);
    for d in sim.deploys() {
        let Some(defect) = d.defect.as_ref().or(d.defect_shipped.as_ref()) else {
            continue;
        };
        if d.live_at.is_none() || matches!(d.strategy, Strategy::Canary | Strategy::FeatureFlag) {
            continue;
        }
        let exposed = d.recovered_at.unwrap_or(sim.tick()) - d.live_at.unwrap_or(0);
        notes.push(match check.verdict(Some(defect), canary_hours) {
            Some(why) => format!(
                "Deploy #{} went out {} and its {} reached every user for {}. A canary would have stopped it after {} with {:.0} % of requests exposed: {why}.",
                d.number,
                d.strategy.label().to_ascii_lowercase(),
                defect.kind.label(),
                minutes(exposed),
                minutes(timings.canary),
                timings.canary_share * 100.0
            ),
            None => format!(
                "Deploy #{}'s {} would have passed a canary too: its signal is too small or too slow to show in {} on {:.0} % of requests. Feature flags (a kill switch) or better observability help there.",
                d.number,
                defect.kind.label(),
                minutes(timings.canary),
                timings.canary_share * 100.0
            ),
        });
    }
    let unanswered: Vec<String> = sim
        .incidents()
        .all()
        .iter()
        .filter(|i| i.acknowledged_at.is_none() && !i.is_open())
        .map(|i| format!("#{}", i.number))
        .collect();
    if !unanswered.is_empty() {
        notes.push(format!(
            "{} never acknowledged ({}): in a real team the page escalates to the next person, and MTTA counts only what someone answered.",
            if unanswered.len() == 1 { "One incident was" } else { "Incidents were" },
            unanswered.join(", ")
        ));
    }
    notes.extend(freeze_requests(sim));
    for step in sim.triage().iter().filter(|t| !t.worst_first()) {
        if let Some(worst) = step.by_harm.first() {
            notes.push(format!(
                "At {} you started on {} while {} was failing more requests on its own ({:.0} per second): triage by harm works the worst first.",
                ClockTime::at(step.tick),
                step.worked_name,
                worst.name,
                worst.failing_rps
            ));
        }
    }
    let team = sim.team();
    if team.toil_share() > 0.5 {
        notes.push(format!(
            "Toil took {:.0} % of the teams' hours, above the SRE book's 50 % cap: automation costs hours once and removes its toil for good.",
            team.toil_share() * 100.0
        ));
    }
    notes
}

/// What came of each request to ship through a freeze: the decision, its reasons on the
/// record, and what the approved change then did.
fn freeze_requests(sim: &World) -> impl Iterator<Item = String> + '_ {
    sim.freeze_requests().all().iter().filter_map(|request| {
        let answer = request.answer?;
        let after = match answer.decision {
            Decision::Lapsed => return None,
            Decision::Declined => "the feature waited for the thaw".to_string(),
            Decision::Approved => {
                let deploy = sim
                    .deploys()
                    .iter()
                    .find(|d| d.committed_at == answer.at && d.hotfix_of.is_none());
                match deploy.and_then(|d| d.defect_shipped.as_ref()) {
                    Some(defect) => format!(
                        "it carried a {}: changes like it are what the freeze holds back",
                        defect.kind.label()
                    ),
                    None => "it shipped without a defect: a feature for no budget".to_string(),
                }
            }
        };
        Some(format!(
            "Request #{} to ship \"{}\" through the freeze: the SRE {} it at {} {}; {after}.",
            request.number,
            request.feature,
            answer.decision.label(),
            ClockTime::at(answer.at),
            answer.reasons()
        ))
    })
}

/// How the person's own actions split between the two jobs (bots' actions excluded).
fn reflection(sim: &World) -> Reflection {
    let mine = sim.actions().iter().filter(|a| a.by.bot.is_none());
    let (mut devops, mut sre) = (0, 0);
    for stamped in mine {
        match stamped.action.role() {
            Some(Role::Devops) => devops += 1,
            Some(Role::Sre) => sre += 1,
            None => {}
        }
    }
    let text = match (devops, sre) {
        (0, 0) => "You let the run play out without acting: the numbers above are what the service does on its own (and what the bot did). Try again and change one thing.".to_string(),
        (1, 0) => "Your one action was delivery work: choosing what to ship and how. DevOps days are like that — variety, trade-offs with colleagues, changes flowing. Did you feel the pull to watch the charts after each release?".to_string(),
        (0, 1) => "Your one action was operations work. SRE work is like that — systematic troubleshooting against targets, and being the first call when things break. Did you want to stop a release at some point?".to_string(),
        (d, 0) => format!("All {d} of your actions were delivery work: choosing what to ship and how. DevOps days are like that — variety, trade-offs with colleagues, changes flowing. Did you feel the pull to watch the charts after each release?"),
        (0, s) => format!("All {s} of your actions were operations: capacity, protections, the pager. SRE work is like that — systematic troubleshooting against targets, and being the first call when things break. Did you want to stop a release at some point?"),
        (d, s) => format!("You split your actions {d} delivery to {s} operations. Doing both is \"you build it, you run it\": every release you chose, you also carried at 3 a.m. Which half felt more like your kind of day?"),
    };
    Reflection {
        devops_actions: devops,
        sre_actions: sre,
        text,
    }
}
