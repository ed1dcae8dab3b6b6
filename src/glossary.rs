//! Short explanations of the concepts scenarios teach: the concepts page lists them all, and
//! the debrief's recap and the scenario cards link each concept to its entry. Numbers and
//! rules follow the project's domain reference (SRE book and workbook, DORA 2024).

/// A concept's entry: its name as the concepts page shows it, and its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    pub text: &'static str,
}

impl Entry {
    /// A link to it on the concepts page (the route's query names the entry to show),
    /// keeping the projector profile if the page linking to it has it.
    pub fn href(&self, projector: bool) -> String {
        let profile = if projector { "&profile=projector" } else { "" };
        format!("#/concepts?concept={}{profile}", slug(self.name))
    }
}

/// A concept's entry as scenario files name it (case-insensitive), if it is explained.
pub fn lookup(concept: &str) -> Option<Entry> {
    let concept = concept.trim();
    GROUPS
        .iter()
        .flat_map(|group| group.concepts)
        .find(|(name, _)| name.eq_ignore_ascii_case(concept))
        .map(|&(name, text)| Entry { name, text })
}

/// The explanation of a concept as scenario files name it (case-insensitive), if known.
pub fn explain(concept: &str) -> Option<&'static str> {
    lookup(concept).map(|entry| entry.text)
}

/// The id of a concept's element on the concepts page, e.g. "concept-erlang-c".
pub fn anchor_of(name: &str) -> String {
    format!("concept-{}", slug(name))
}

/// A name in lowercase letters and digits joined by single dashes ("Little's law" →
/// "little-s-law"), safe in ids and in a URL's query.
pub fn slug(name: &str) -> String {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Concepts under one heading of the concepts page.
pub struct Group {
    pub title: &'static str,
    /// (name as shown, explanation), in reading order.
    pub concepts: &'static [(&'static str, &'static str)],
}

/// Every explained concept, grouped the way the curriculum builds them up.
pub const GROUPS: &[Group] = &[
    Group {
        title: "SLOs and error budgets",
        concepts: &[
            ("SLI", "Service level indicator: a measured share of good events, e.g. requests that succeeded ÷ all valid requests."),
            ("SLO", "Service level objective: the target for an SLI over a window, e.g. 99.9 % of requests succeed over 28 days."),
            ("Error budget", "1 − SLO target: the failures the window may contain. 99.9 % leaves 0.1 % of requests to spend on releases, experiments and bad luck."),
            ("Budget as time", "The budget as full-outage time: (1 − target) × window. 99.9 % over 28 days allows 40 min 19 s of total outage."),
            ("Burn rate", "How fast the budget is spent: the error ratio ÷ (1 − target). At 1× the budget lasts exactly one window; at 14.4× a 30-day budget goes in about two days."),
            ("Latency SLO", "An SLO on speed: the share of requests answered within a threshold, e.g. 99 % under 400 ms."),
            ("Slow burn", "A small error rate that never stops: it never looks urgent, yet it spends the budget as surely as an outage."),
        ],
    },
    Group {
        title: "Alerting",
        concepts: &[
            ("Multi-window alerts", "An alert fires when the burn rate over a long window AND a short window both pass its threshold: the long window shows it matters, the short one that it is still happening."),
            ("Pages vs tickets", "Fast burns that spend a big share of the budget in hours page someone now; slow burns open a ticket for working hours."),
            ("Pages", "Alerts that wake a human now. Each should be urgent, actionable and real."),
            ("Alert fatigue", "Pages nobody can act on teach people to ignore the pager. Alert on budget burn, not on every blip."),
        ],
    },
    Group {
        title: "Capacity and queueing",
        concepts: &[
            ("Utilisation", "The share of time workers are busy (ρ = λ ÷ cμ). Past about 75–80 % waits grow fast; at 100 % the queue grows without bound."),
            ("Queueing", "Requests wait when they arrive faster than they are served. Waits depend on utilisation and on how variable arrivals and service times are."),
            ("Erlang C", "The M/M/c formula for the chance an arriving request must wait when c servers share a queue."),
            ("Little's law", "L = λW: requests in the system = arrival rate × time each spends there. It holds for any stable queue."),
            ("Tail latency", "The slowest requests (p99 and beyond): what the unluckiest users wait, and what a request fanning out to many services meets."),
            ("Capacity planning", "Having enough replicas before the load arrives: forecast the peak, add headroom, test it."),
            ("Traffic surge", "A sudden multiple of normal traffic, from a launch, a campaign or a retry storm."),
            ("Autoscaling", "Adding and removing replicas to hold a target utilisation. It reacts after the load arrives, and new replicas need time to boot."),
            ("Autoscaling delay", "The minutes between load rising and new replicas serving: the autoscaler's evaluation period plus boot time."),
            ("Load shedding", "Turning excess requests away at once when the queue is too long: some fail fast so the rest stay fast."),
        ],
    },
    Group {
        title: "Services and their dependencies",
        concepts: &[
            ("Service graph", "Services call one another; a request's latency is the sum along its calls, and a dependency's failure becomes its caller's."),
            ("Dependencies", "What a service calls. Its availability caps yours unless you cache, degrade gracefully or break the circuit."),
            ("Caches", "Answers kept from earlier requests: they take load off what is behind them, until a restart empties them."),
            ("Timeouts", "How long a caller waits before giving up. Too long and queues fill with work nobody waits for; too short and slow but good answers become failures."),
            ("Retries", "Trying a failed call again: it hides brief failures, and amplifies load in an overload."),
            ("Retry amplification", "Each layer that retries multiplies the load on the layer below: three tries at two layers is up to nine calls."),
            ("Retry budget", "Retries allowed as a share of requests (e.g. 10 %), so retries cannot multiply load in an overload."),
            ("Metastable failure", "A failure that outlives its trigger: retries and timeouts keep the load above capacity after the cause is gone."),
        ],
    },
    Group {
        title: "Shipping changes",
        concepts: &[
            ("Change risk", "The chance a change carries a defect, and how much harm it can do before someone notices and undoes it."),
            ("Deploy strategies", "All at once, rolling, canary, blue/green, feature flags: ways to limit how many users meet a bad change, and for how long."),
            ("Canary analysis", "A new version serves a small share of traffic first; automated checks compare its errors and latency with the old version's and stop it if it is worse."),
            ("Blast radius", "How many users a failure reaches: the exposure of a change times how long it lasts."),
            ("Rollback", "Going back to the previous version: the fastest mitigation for a bad change."),
            ("Change fail rate", "DORA: the share of deployments that need a rollback, hotfix or other intervention. Elite teams stay around 5 %."),
            ("Error budget policy", "An agreement between the teams: while there is budget, ship; when it is spent, freeze all but fixes until the service is back within its SLO."),
            ("Deploy freeze", "Stopping releases to protect what is left of the budget. Rollbacks and fixes still go out: about 70 % of outages come from changes."),
            ("Velocity vs reliability", "Every release risks budget; every freeze delays value. The budget is how much of one may be traded for the other."),
            ("Negotiation", "Product and reliability goals meet in the policy: agreed in advance, not argued in the middle of an incident."),
        ],
    },
    Group {
        title: "On call and incidents",
        concepts: &[
            ("On-call", "Carrying the pager: at most about two incidents per 12-hour shift, answered within minutes."),
            ("Incidents", "What a page turns into: someone acknowledges it, mitigates the harm, then resolves and learns from it."),
            ("Triage", "Deciding what to fix first by potential harm: the biggest burn, the most users."),
            ("MTTA", "Mean (here median) time to acknowledge: from the page to someone saying they are on it."),
            ("MTTR", "Time to recover (here: to mitigate): from the page until users stop being harmed. Look at the spread, not only the mean."),
            ("Runbooks", "Written steps for known failures: they make the fix faster and less dependent on who is on call."),
            ("Postmortems", "A blameless write-up of an incident with action items; the policy asks for one when an incident spends over 20 % of the budget."),
        ],
    },
    Group {
        title: "Team time",
        concepts: &[
            ("Toil", "Manual, repetitive, automatable work with no enduring value, growing with the service."),
            ("The 50 % cap", "SRE teams keep operational work under half of their time; the rest goes to engineering that reduces it."),
            ("Operational load", "Pages, tickets and chores: the work a service demands just to keep running."),
            ("Automation", "Engineering that removes toil: it costs hours once and saves them every day after."),
            ("Engineering time", "The hours not spent on operations: where automation, reliability work and features come from."),
            ("Experiments", "Change one thing, predict what it does, then check the charts: the sandbox's way to learn."),
        ],
    },
];

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;

    #[test]
    fn every_entry_has_its_own_anchor_and_is_found_by_any_case() {
        let mut anchors: Vec<String> = GROUPS
            .iter()
            .flat_map(|g| g.concepts)
            .map(|(name, _)| anchor_of(name))
            .collect();
        let count = anchors.len();
        anchors.sort();
        anchors.dedup();
        assert_eq!(anchors.len(), count, "two concepts share an anchor");
        let erlang = lookup("erlang c").expect("explained");
        assert_eq!(erlang.name, "Erlang C");
        assert_eq!(anchor_of(erlang.name), "concept-erlang-c");
        assert_eq!(
            lookup("Little's Law").map(|e| anchor_of(e.name)).as_deref(),
            Some("concept-little-s-law")
        );
        assert_eq!(
            lookup("the 50 % cap").map(|e| e.href(false)).as_deref(),
            Some("#/concepts?concept=the-50-cap")
        );
        assert_eq!(lookup("nothing like it"), None);
    }

    #[test]
    fn every_concept_a_built_in_scenario_teaches_is_explained() {
        for scenario in catalog::all().into_iter().flatten() {
            for concept in &scenario.concepts {
                assert!(
                    explain(concept).is_some(),
                    "{}: no explanation for {concept:?}",
                    scenario.id.0
                );
            }
        }
    }
}
