//! The OpenSLO v1 form of an export: `SLO`, `SLI`, `AlertPolicy` and `AlertCondition`
//! documents, field names as the specification spells them.

use std::fmt::Write as _;

use crate::alert_policy::AlertPolicy;
use crate::alerts::Severity;
use crate::scenario::Scenario;

use super::{
    duration, exported_slos, header, name, number, quote, ExportError, ExportOptions,
    ExportedAlert, ExportedSlo,
};

/// The scenario's SLOs as OpenSLO v1 (YAML, several documents): per SLO its `SLI` (a ratio
/// of counters, good over total), the `SLO` (rolling window, `Occurrences`, target), and one
/// `AlertPolicy` per alert (the spec allows one `AlertCondition` per policy), plus the two
/// `AlertNotificationTarget`s the policies name (pager and tickets).
pub fn openslo(scenario: &Scenario, options: &ExportOptions) -> Result<String, ExportError> {
    let slos = exported_slos(scenario, options)?;
    let scenario_id = &scenario.id.0;
    let mut out = String::new();
    header(
        &mut out,
        scenario,
        "OpenSLO v1 (github.com/OpenSLO/OpenSLO)",
    );
    if slos
        .iter()
        .all(|slo| slo.policy == Some(AlertPolicy::Workbook))
    {
        out.push_str(
            "# Each alert mirrors one row of the engine's multi-window, multi-burn-rate table.\n\
             # An AlertCondition has one lookbackWindow: it holds the long window; the short\n\
             # window (which must burn as fast too, and which the alert stays firing for once\n\
             # the burn stops) is in the ops-dojo annotations. The Prometheus export has both.\n",
        );
    } else {
        out.push_str(
            "# Each alert mirrors one row of the SLO's alert table as the engine runs it.\n\
             # An AlertCondition has one lookbackWindow: it holds the long window; alertAfter\n\
             # is how long the burn must last first (Prometheus `for`). The short window and\n\
             # how long a firing alert stays firing once the burn stops are in the ops-dojo\n\
             # annotations. The Prometheus export has them all.\n",
        );
    }
    for (severity, target) in [("pager", "pager"), ("tickets", "ticket queue")] {
        let _ = write!(
            out,
            "---\napiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata:\n  \
             name: {}\nspec:\n  description: {}\n  target: {}\n",
            quote(&name(&format!("{scenario_id}-{severity}"))),
            quote(&format!(
                "Where {scenario_id}'s {} alerts go: replace with your own",
                if severity == "pager" {
                    "page"
                } else {
                    "ticket"
                }
            )),
            quote(target),
        );
    }
    for slo in &slos {
        write_openslo_slo(&mut out, scenario_id, slo);
    }
    Ok(out)
}

fn write_openslo_slo(out: &mut String, scenario_id: &str, slo: &ExportedSlo) {
    let sli = name(&format!("{}-sli", slo.id));
    let _ = write!(
        out,
        "---\napiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: {}\n  displayName: {}\n\
         spec:\n  description: {}\n  ratioMetric:\n    counter: true\n",
        quote(&sli),
        quote(&format!("{} SLI", slo.name)),
        quote(&format!(
            "Share of {}'s requests that are good (good ÷ total)",
            slo.service
        )),
    );
    for (part, metric) in [("good", &slo.good_metric), ("total", &slo.total_metric)] {
        let _ = write!(
            out,
            "    {part}:\n      metricSource:\n        type: Prometheus\n        spec:\n          \
             query: {}\n",
            quote(metric)
        );
    }
    let policy = |alert: &ExportedAlert| {
        name(&format!(
            "{}-{}-{}-{}{}",
            slo.id,
            alert.severity.id(),
            alert.long_window(),
            alert.short_window(),
            alert.duplicate_suffix
        ))
    };
    let _ = write!(
        out,
        "---\napiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: {}\n  displayName: {}\n\
         spec:\n  description: {}\n  service: {}\n  indicatorRef: {}\n  timeWindow:\n    \
         - duration: {}\n      isRolling: true\n  budgetingMethod: Occurrences\n  \
         objectives:\n    - displayName: {}\n      target: {}\n  alertPolicies:\n",
        quote(&name(&slo.id)),
        quote(&slo.name),
        quote(&format!(
            "{} % of {}'s requests good over a rolling {} days (error budget {} %)",
            number(slo.target * 100.0),
            slo.service,
            slo.window_days,
            number((1.0 - slo.target) * 100.0)
        )),
        quote(&slo.service),
        quote(&sli),
        quote(&format!("{}d", slo.window_days)),
        quote(&slo.name),
        slo.target,
    );
    for alert in &slo.alerts {
        let _ = writeln!(out, "    - alertPolicyRef: {}", quote(&policy(alert)));
    }
    for alert in &slo.alerts {
        let severity = alert.severity.id();
        let target = match alert.severity {
            Severity::Page => "pager",
            Severity::Ticket => "tickets",
        };
        let description = alert
            .annotations
            .iter()
            .find(|(key, _)| key == "description")
            .map_or("", |(_, text)| text.as_str());
        let _ = write!(
            out,
            "---\napiVersion: openslo/v1\nkind: AlertPolicy\nmetadata:\n  name: {}\n  \
             displayName: {}\n  annotations:\n    ops-dojo/short-window: {}\n    \
             ops-dojo/keep-firing-for: {}\nspec:\n  description: {}\n  \
             alertWhenBreaching: true\n  alertWhenResolved: true\n  alertWhenNoData: false\n  \
             conditions:\n    - kind: AlertCondition\n      metadata:\n        name: {}\n      \
             spec:\n        description: {}\n        severity: {}\n        condition:\n          \
             kind: burnrate\n          op: gte\n          threshold: {}\n          \
             lookbackWindow: {}\n          alertAfter: {}\n  notificationTargets:\n    \
             - targetRef: {}\n",
            quote(&policy(alert)),
            quote(&format!(
                "{}: {severity} at {}× over {} and {}",
                slo.name,
                number(alert.factor),
                alert.long_window(),
                alert.short_window()
            )),
            quote(&alert.short_window()),
            quote(&duration(alert.keep_firing_seconds)),
            quote(description),
            quote(&name(&format!(
                "{}-burn-{}-{}{}",
                slo.id,
                alert.long_window(),
                alert.short_window(),
                alert.duplicate_suffix
            ))),
            quote(&format!(
                "Burn rate at or above {}× over {} (and over {})",
                number(alert.factor),
                alert.long_window(),
                alert.short_window()
            )),
            quote(severity),
            number(alert.factor),
            quote(&alert.long_window()),
            // OpenSLO's examples write minutes.
            match alert.for_seconds {
                0 => "0m".to_string(),
                seconds => duration(seconds),
            },
            quote(&name(&format!("{scenario_id}-{target}"))),
        );
    }
}
