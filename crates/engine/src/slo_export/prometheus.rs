//! The Prometheus form of an export: recording rules for the error ratio over every window
//! the alerts read, and the multi-window, multi-burn-rate alerting rules (Sloth's names).

use std::fmt::Write as _;

use crate::alert_policy::AlertPolicy;
use crate::scenario::Scenario;

use super::{
    comment, duration, exported_slos, header, number, promql_string, quote, ExportError,
    ExportOptions, ExportedSlo,
};

/// The scenario's SLOs as a Prometheus rules file: per SLO one group holding the recording
/// rules for the error ratio over every window its alerts read (`slo:sli_error:ratio_rate5m`
/// …, as Sloth names them), then the alerting rules.
pub fn prometheus_rules(
    scenario: &Scenario,
    options: &ExportOptions,
) -> Result<String, ExportError> {
    let slos = exported_slos(scenario, options)?;
    let mut out = String::new();
    header(&mut out, scenario, "Prometheus rules");
    out.push_str(
        "# Per SLO one group: the recording rules first, then the alerts, so an alert always\n\
         # reads the ratios of the same evaluation (rules in a group run in order).\n\
         # An alert fires while BOTH its long and its short window burn at or above its\n\
         # factor, where factor = budget share × SLO period ÷ long window (SRE Workbook ch. 5),\n\
         # and the threshold on the error ratio is factor × (1 − target).\n",
    );
    if slos
        .iter()
        .all(|slo| slo.policy == Some(AlertPolicy::Workbook))
    {
        out.push_str(
            "# keep_firing_for = the short window: once the burn stops, an alert resolves only\n\
             # after its condition has stayed false that long. Ops Dojo resolves its alerts the\n\
             # same way, so one incident hovering at the threshold pages once, not every minute.\n",
        );
    } else {
        out.push_str(
            "# Each group follows its SLO's alert table (named above the group): `for` makes an\n\
             # alert wait until its condition has held that long, keep_firing_for keeps it\n\
             # firing that long after the condition is false. Ops Dojo waits and resolves the\n\
             # same way, so both fire and resolve together.\n",
        );
    }
    out.push_str("groups:\n");
    for slo in &slos {
        write_prometheus_group(&mut out, slo);
    }
    Ok(out)
}

fn write_prometheus_group(out: &mut String, slo: &ExportedSlo) {
    let _ = writeln!(
        out,
        "  # {}: {} % over a rolling {} days, service {}",
        comment(&slo.name),
        number(slo.target * 100.0),
        slo.window_days,
        comment(&slo.service),
    );
    match slo.policy {
        Some(AlertPolicy::Workbook) => {}
        Some(policy) => {
            let _ = writeln!(
                out,
                "  # Alert table: {}. {}",
                policy.title(),
                comment(policy.how_it_differs())
            );
        }
        None => out.push_str("  # Alert table: the scenario's own rows.\n"),
    }
    let _ = write!(
        out,
        "  - name: {}\n    rules:\n",
        quote(&format!("ops-dojo-{}", slo.id)),
    );
    let mut windows: Vec<u64> = slo
        .alerts
        .iter()
        .flat_map(|a| [a.long_seconds, a.short_seconds])
        .collect();
    crate::order::sort_by(&mut windows, Ord::cmp);
    windows.dedup();
    for window in windows {
        let window = duration(window);
        let _ = write!(
            out,
            "      - record: slo:sli_error:ratio_rate{window}\n        expr: |\n          \
             1 - (\n            sum(rate({good}[{window}]))\n            /\n            \
             sum(rate({total}[{window}]))\n          )\n        labels:\n          slo: {}\n          \
             service: {}\n          window: {}\n",
            quote(&slo.id),
            quote(&slo.service),
            quote(&window),
            good = slo.good_metric,
            total = slo.total_metric,
        );
    }
    for alert in &slo.alerts {
        let (long, short) = (alert.long_window(), alert.short_window());
        // The threshold is written as the engine computes it (share × period ÷ window), so
        // Prometheus compares against the very same number.
        let threshold = format!(
            "({} * {} / {}) * (1 - {})",
            alert.budget_share,
            alert.period_hours,
            alert.long_seconds as f64 / 3600.0,
            slo.target
        );
        let id = promql_string(&slo.id);
        let over = |window: &str| {
            format!(
                "max without (window) (slo:sli_error:ratio_rate{window}{{slo=\"{id}\"}} >= {threshold})"
            )
        };
        let expr = if alert.single_window() {
            over(&long)
        } else {
            format!("{}\n          and\n          {}", over(&long), over(&short))
        };
        let _ = write!(
            out,
            "      # {} at {}× = {} % of the budget × {} h ÷ {long} (burns {} % of the budget \
             before it fires)\n      - alert: {}\n        expr: |\n          {expr}\n",
            alert.severity.id(),
            number(alert.factor),
            number(alert.budget_share * 100.0),
            number(alert.period_hours),
            number(alert.budget_share * 100.0),
            alert.alert_name,
        );
        if alert.for_seconds > 0 {
            let _ = writeln!(out, "        for: {}", duration(alert.for_seconds));
        }
        if alert.keep_firing_seconds > 0 {
            let _ = writeln!(
                out,
                "        keep_firing_for: {}",
                duration(alert.keep_firing_seconds)
            );
        }
        out.push_str("        labels:\n");
        for (key, value) in alert.rule_labels() {
            let _ = writeln!(out, "          {key}: {}", quote(&value));
        }
        out.push_str("        annotations:\n");
        for (key, value) in &alert.annotations {
            let _ = writeln!(out, "          {key}: {}", quote(value));
        }
    }
}
