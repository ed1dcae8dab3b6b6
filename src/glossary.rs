//! Short explanations of the concepts scenarios teach, for the debrief's recap. Numbers
//! and rules follow the project's domain reference (SRE book and workbook, DORA 2024).

/// The explanation of a concept as scenario files name it (case-insensitive), if known.
pub fn explain(concept: &str) -> Option<&'static str> {
    let key = concept.to_lowercase();
    ENTRIES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, text)| *text)
}

const ENTRIES: &[(&str, &str)] = &[
    ("sli", "Service level indicator: a measured share of good events, e.g. requests that succeeded ÷ all valid requests."),
    ("slo", "Service level objective: the target for an SLI over a window, e.g. 99.9 % of requests succeed over 28 days."),
    ("error budget", "1 − SLO target: the failures the window may contain. 99.9 % leaves 0.1 % of requests to spend on releases, experiments and bad luck."),
    ("budget as time", "The budget as full-outage time: (1 − target) × window. 99.9 % over 28 days allows 40 min 19 s of total outage."),
    ("burn rate", "How fast the budget is spent: the error ratio ÷ (1 − target). At 1× the budget lasts exactly one window; at 14.4× a 30-day budget goes in about two days."),
    ("multi-window alerts", "An alert fires when the burn rate over a long window AND a short window both pass its threshold: the long window shows it matters, the short one that it is still happening."),
    ("pages vs tickets", "Fast burns that spend a big share of the budget in hours page someone now; slow burns open a ticket for working hours."),
    ("alert fatigue", "Pages nobody can act on teach people to ignore the pager. Alert on budget burn, not on every blip."),
    ("slow burn", "A small error rate that never stops: it never looks urgent, yet it spends the budget as surely as an outage."),
    ("service graph", "Services call one another; a request's latency is the sum along its calls, and a dependency's failure becomes its caller's."),
    ("dependencies", "What a service calls. Its availability caps yours unless you cache, degrade gracefully or break the circuit."),
    ("caches", "Answers kept from earlier requests: they take load off what is behind them, until a restart empties them."),
    ("autoscaling", "Adding and removing replicas to hold a target utilisation. It reacts after the load arrives, and new replicas need time to boot."),
    ("latency slo", "An SLO on speed: the share of requests answered within a threshold, e.g. 99 % under 400 ms."),
    ("incidents", "What a page turns into: someone acknowledges it, mitigates the harm, then resolves and learns from it."),
    ("error budget policy", "An agreement between the teams: while there is budget, ship; when it is spent, freeze all but fixes until the service is back within its SLO."),
    ("deploy freeze", "Stopping releases to protect what is left of the budget. Rollbacks and fixes still go out: about 70 % of outages come from changes."),
    ("velocity vs reliability", "Every release risks budget; every freeze delays value. The budget is how much of one may be traded for the other."),
    ("change risk", "The chance a change carries a defect, and how much harm it can do before someone notices and undoes it."),
    ("negotiation", "Product and reliability goals meet in the policy: agreed in advance, not argued in the middle of an incident."),
    ("deploy strategies", "All at once, rolling, canary, blue/green, feature flags: ways to limit how many users meet a bad change, and for how long."),
    ("canary analysis", "A new version serves a small share of traffic first; automated checks compare its errors and latency with the old version's and stop it if it is worse."),
    ("rollback", "Going back to the previous version: the fastest mitigation for a bad change."),
    ("change fail rate", "DORA: the share of deployments that need a rollback, hotfix or other intervention. Elite teams stay around 5 %."),
    ("blast radius", "How many users a failure reaches: the exposure of a change times how long it lasts."),
    ("capacity planning", "Having enough replicas before the load arrives: forecast the peak, add headroom, test it."),
    ("traffic surge", "A sudden multiple of normal traffic, from a launch, a campaign or a retry storm."),
    ("autoscaling delay", "The minutes between load rising and new replicas serving: the autoscaler's evaluation period plus boot time."),
    ("load shedding", "Turning excess requests away at once when the queue is too long: some fail fast so the rest stay fast."),
    ("utilisation", "The share of time workers are busy (ρ = λ ÷ cμ). Past about 75–80 % waits grow fast; at 100 % the queue grows without bound."),
    ("queueing", "Requests wait when they arrive faster than they are served. Waits depend on utilisation and on how variable arrivals and service times are."),
    ("erlang c", "The M/M/c formula for the chance an arriving request must wait when c servers share a queue."),
    ("little's law", "L = λW: requests in the system = arrival rate × time each spends there. It holds for any stable queue."),
    ("tail latency", "The slowest requests (p99 and beyond): what the unluckiest users wait, and what a request fanning out to many services meets."),
    ("on-call", "Carrying the pager: at most about two incidents per 12-hour shift, answered within minutes."),
    ("pages", "Alerts that wake a human now. Each should be urgent, actionable and real."),
    ("triage", "Deciding what to fix first by potential harm: the biggest burn, the most users."),
    ("mtta", "Mean (here median) time to acknowledge: from the page to someone saying they are on it."),
    ("mttr", "Time to recover (here: to mitigate): from the page until users stop being harmed. Look at the spread, not only the mean."),
    ("runbooks", "Written steps for known failures: they make the fix faster and less dependent on who is on call."),
    ("postmortems", "A blameless write-up of an incident with action items; the policy asks for one when an incident spends over 20 % of the budget."),
    ("metastable failure", "A failure that outlives its trigger: retries and timeouts keep the load above capacity after the cause is gone."),
    ("retry amplification", "Each layer that retries multiplies the load on the layer below: three tries at two layers is up to nine calls."),
    ("retry budget", "Retries allowed as a share of requests (e.g. 10 %), so retries cannot multiply load in an overload."),
    ("timeouts", "How long a caller waits before giving up. Too long and queues fill with work nobody waits for; too short and slow but good answers become failures."),
    ("experiments", "Change one thing, predict what it does, then check the charts: the sandbox's way to learn."),
    ("retries", "Trying a failed call again: it hides brief failures, and amplifies load in an overload."),
    ("toil", "Manual, repetitive, automatable work with no enduring value, growing with the service."),
    ("the 50 % cap", "SRE teams keep operational work under half of their time; the rest goes to engineering that reduces it."),
    ("automation", "Engineering that removes toil: it costs hours once and saves them every day after."),
    ("engineering time", "The hours not spent on operations: where automation, reliability work and features come from."),
    ("operational load", "Pages, tickets and chores: the work a service demands just to keep running."),
];

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;

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
