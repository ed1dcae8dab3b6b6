//! Bring your own SLO: an OpenSLO v1 file read into what the alert lab needs (target,
//! rolling window and, if the file has them, its burn-rate alert conditions).
//!
//! Only what the lab can honour is accepted; everything else is refused with its
//! `line:column` and the list of what is supported, never silently dropped:
//! - `kind: SLO` with `budgetingMethod: Occurrences` and one rolling `timeWindow` in days
//!   or weeks (1 to 90 days);
//! - its SLI as a `ratioMetric` (good or bad over total), inline or by `indicatorRef`;
//!   the queries are kept for display only, as the lab simulates the counts;
//! - `AlertPolicy` documents (inline or by `alertPolicyRef`) whose `AlertCondition`s are
//!   `kind: burnrate` with `op: gte` or `gt`: each becomes one alert rule with its
//!   `lookbackWindow` and `alertAfter` (Prometheus `for`). The annotations Ops Dojo's own
//!   export writes (`ops-dojo/short-window`, `ops-dojo/keep-firing-for`) are read back, so
//!   an exported SLO comes back with the very same table.
//! - `AlertNotificationTarget`, `Service`, `DataSource` documents are accepted and ignored.

mod fields;
mod yaml_tree;

use std::fmt;

use serde_spanned::Spanned;

use crate::alerts::Severity;
use crate::scenario::limits::MAX_FILE_BYTES;
use crate::scenario::{AlertRuleSpec, Bounded, SliKind, SloSpec, Target};
use fields::{items, minutes, named, object, objective, query_text, time_window, Fields};
pub use yaml_tree::Pos;
use yaml_tree::{Node, YamlError};

/// Most alert conditions read: as many as a scenario's own table may have.
pub const MAX_CONDITIONS: usize = crate::scenario::MAX_ALERT_RULES;

/// An SLO read from an OpenSLO file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSlo {
    /// `displayName`, else `metadata.name`.
    pub name: String,
    /// Target share of good events, e.g. 0.999.
    pub target: f64,
    /// Rolling window, days.
    pub window_days: u32,
    /// The SLI's queries as written (good or bad, then total), for display.
    pub queries: Vec<(String, String)>,
    /// The file's alert conditions as rules (empty: the file has no AlertPolicy).
    pub rules: Vec<ImportedRule>,
    /// How the lab read what the file leaves open (e.g. a severity mapped to a page).
    pub notes: Vec<String>,
}

/// One burn-rate alert condition, as the rule the engine runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRule {
    /// The condition's name (or display name), for display.
    pub name: String,
    /// Its severity, `lookbackWindow` (the long window; the short one only if the file names
    /// it), threshold, `alertAfter` (`for`) and how long it keeps firing.
    pub spec: AlertRuleSpec,
}

/// Why a file could not be read: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub source_name: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.source_name, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ImportError {}

type Read<T> = Result<T, YamlError>;

/// Reads the first `kind: SLO` of an OpenSLO v1 file named `source_name` (for messages).
pub fn read(text: &str, source_name: &str) -> Result<ImportedSlo, ImportError> {
    let error = |e: YamlError| ImportError {
        source_name: source_name.to_string(),
        line: e.pos.line,
        column: e.pos.column,
        message: e.message,
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(error(YamlError::at(
            Pos { line: 1, column: 1 },
            format!(
                "the file is {} bytes; the limit is {MAX_FILE_BYTES} bytes (64 KB)",
                text.len()
            ),
        )));
    }
    let docs = yaml_tree::documents(text).map_err(error)?;
    Library::of(&docs).and_then(|lib| lib.slo()).map_err(error)
}

/// The documents of a file by kind, checked for the fields every OpenSLO object has.
struct Library<'a> {
    slos: Vec<Object<'a>>,
    slis: Vec<Object<'a>>,
    policies: Vec<Object<'a>>,
    conditions: Vec<Object<'a>>,
}

/// An OpenSLO object: its `metadata.name`, `metadata.displayName`, `metadata.annotations`
/// and `spec`.
#[derive(Clone, Copy)]
struct Object<'a> {
    name: &'a str,
    display_name: Option<&'a str>,
    annotations: Option<&'a Node>,
    spec: &'a Node,
}

const KINDS: &str =
    "SLO, SLI, AlertPolicy, AlertCondition, AlertNotificationTarget, Service, DataSource";

impl<'a> Library<'a> {
    fn of(docs: &'a [Node]) -> Read<Self> {
        let mut lib = Library {
            slos: Vec::new(),
            slis: Vec::new(),
            policies: Vec::new(),
            conditions: Vec::new(),
        };
        for doc in docs {
            let fields = Fields::of(
                doc,
                "a document",
                &["apiVersion", "kind", "metadata", "spec"],
            )?;
            let version = fields.scalar("apiVersion")?;
            if version.0 != "openslo/v1" {
                return Err(YamlError::at(
                    version.1,
                    format!("apiVersion {:?}: only openslo/v1 is supported", version.0),
                ));
            }
            let (kind, kind_pos) = fields.scalar("kind")?;
            let object = object(&fields)?;
            match kind {
                "SLO" => lib.slos.push(object),
                "SLI" => lib.slis.push(object),
                "AlertPolicy" => lib.policies.push(object),
                "AlertCondition" => lib.conditions.push(object),
                "AlertNotificationTarget" | "Service" | "DataSource" => {}
                other => {
                    return Err(YamlError::at(
                        kind_pos,
                        format!("kind {other:?} is not an OpenSLO v1 kind (kinds: {KINDS})"),
                    ))
                }
            }
        }
        Ok(lib)
    }

    fn slo(&self) -> Read<ImportedSlo> {
        let Some(slo) = self.slos.first() else {
            return Err(YamlError::at(
                Pos { line: 1, column: 1 },
                "no document has kind: SLO (an OpenSLO v1 SLO starts with apiVersion: openslo/v1 and kind: SLO)",
            ));
        };
        let spec = Fields::of(
            slo.spec,
            "the SLO's spec",
            &[
                "description",
                "service",
                "indicator",
                "indicatorRef",
                "timeWindow",
                "budgetingMethod",
                "objectives",
                "alertPolicies",
            ],
        )?;
        let mut notes = Vec::new();
        if self.slos.len() > 1 {
            notes.push(format!(
                "The file has {} SLOs; the lab reads the first, {:?}.",
                self.slos.len(),
                slo.name
            ));
        }
        let (method, method_pos) = spec.scalar("budgetingMethod")?;
        if method != "Occurrences" {
            return Err(YamlError::at(
                method_pos,
                format!(
                    "budgetingMethod {method:?}: the lab counts good and bad requests, so only Occurrences is supported"
                ),
            ));
        }
        let window_days = time_window(spec.required("timeWindow")?)?;
        let queries = self.indicator(&spec)?;
        let (target, target_note) = objective(spec.required("objectives")?)?;
        notes.extend(target_note);
        let rules = match spec.get("alertPolicies") {
            Some(list) => self.alert_rules(list, target, window_days, &mut notes)?,
            None => Vec::new(),
        };
        Ok(ImportedSlo {
            name: slo.display_name.unwrap_or(slo.name).to_string(),
            target,
            window_days,
            queries,
            rules,
            notes,
        })
    }

    /// The SLI's queries, inline (`indicator`) or by reference (`indicatorRef`).
    fn indicator(&self, spec: &Fields) -> Read<Vec<(String, String)>> {
        let sli = match (spec.get("indicator"), spec.get("indicatorRef")) {
            (Some(inline), None) => {
                let fields = Fields::of(inline, "the SLO's indicator", &["metadata", "spec"])?;
                object(&fields)?
            }
            (None, Some(reference)) => named(&self.slis, reference, "indicatorRef", "SLI")?,
            _ => {
                return Err(YamlError::at(
                    spec.pos,
                    "an SLO needs exactly one of indicator (inline SLI) or indicatorRef",
                ))
            }
        };
        let fields = Fields::of(
            sli.spec,
            "the SLI's spec",
            &["description", "ratioMetric", "thresholdMetric"],
        )?;
        if let Some(at) = fields.key("thresholdMetric") {
            return Err(YamlError::at(
                at,
                "thresholdMetric is not supported: the lab reads a ratioMetric (good or bad over total)",
            ));
        }
        let ratio = Fields::of(
            fields.required("ratioMetric")?,
            "ratioMetric",
            &["counter", "good", "bad", "total", "rawType", "raw"],
        )?;
        if let Some(at) = ratio.key("raw") {
            return Err(YamlError::at(
                at,
                "a raw ratio is not supported: give good (or bad) and total counters",
            ));
        }
        let mut queries = Vec::new();
        for part in ["good", "bad", "total"] {
            if let Some(source) = ratio.get(part) {
                queries.push((part.to_string(), query_text(source)));
            }
        }
        let has = |part: &str| queries.iter().any(|(p, _)| p == part);
        if has("good") == has("bad") || !has("total") {
            return Err(YamlError::at(
                ratio.pos,
                "a ratioMetric needs total and exactly one of good or bad",
            ));
        }
        Ok(queries)
    }

    /// The alert conditions of the SLO's alert policies, as rules.
    fn alert_rules(
        &self,
        list: &Node,
        target: f64,
        window_days: u32,
        notes: &mut Vec<String>,
    ) -> Read<Vec<ImportedRule>> {
        let policies = items(list, "alertPolicies")?;
        let mut rules = Vec::new();
        for item in policies {
            let fields = Fields::of(
                item,
                "an alert policy",
                &["kind", "alertPolicyRef", "metadata", "spec"],
            )?;
            let policy = match fields.get("alertPolicyRef") {
                Some(reference) => {
                    named(&self.policies, reference, "alertPolicyRef", "AlertPolicy")?
                }
                None => object(&fields)?,
            };
            let spec = Fields::of(
                policy.spec,
                "the AlertPolicy's spec",
                &[
                    "description",
                    "alertWhenNoData",
                    "alertWhenResolved",
                    "alertWhenBreaching",
                    "conditions",
                    "notificationTargets",
                ],
            )?;
            let conditions = items(spec.required("conditions")?, "conditions")?;
            for condition in conditions {
                let fields = Fields::of(
                    condition,
                    "a condition",
                    &["kind", "conditionRef", "metadata", "spec"],
                )?;
                let object = match fields.get("conditionRef") {
                    Some(reference) => named(
                        &self.conditions,
                        reference,
                        "conditionRef",
                        "AlertCondition",
                    )?,
                    None => object(&fields)?,
                };
                if rules.len() == MAX_CONDITIONS {
                    return Err(YamlError::at(
                        condition.pos(),
                        format!("more than {MAX_CONDITIONS} alert conditions: the lab replays at most {MAX_CONDITIONS}"),
                    ));
                }
                rules.push(rule(&object, &policy, target, window_days, notes)?);
            }
        }
        Ok(rules)
    }
}

/// One AlertCondition as a rule.
fn rule(
    condition: &Object,
    policy: &Object,
    target: f64,
    window_days: u32,
    notes: &mut Vec<String>,
) -> Read<ImportedRule> {
    let spec = Fields::of(
        condition.spec,
        "the AlertCondition's spec",
        &["description", "severity", "condition"],
    )?;
    let (severity_text, _) = spec.scalar("severity")?;
    let severity = severity_of(severity_text);
    if !matches!(
        severity_text.to_ascii_lowercase().as_str(),
        "page" | "ticket"
    ) {
        notes.push(format!(
            "Severity {severity_text:?} of {:?} is read as a {}.",
            condition.name,
            severity.id()
        ));
    }
    let check = Fields::of(
        spec.required("condition")?,
        "condition",
        &["kind", "op", "threshold", "lookbackWindow", "alertAfter"],
    )?;
    let (kind, kind_pos) = check.scalar("kind")?;
    if kind != "burnrate" {
        return Err(YamlError::at(
            kind_pos,
            format!("condition kind {kind:?}: only burnrate is supported"),
        ));
    }
    let (op, op_pos) = check.scalar("op")?;
    match op {
        "gte" => {}
        "gt" => notes.push(format!(
            "{:?} uses op: gt; the lab fires at the threshold too (gte), a difference of one request.",
            condition.name
        )),
        _ => {
            return Err(YamlError::at(
                op_pos,
                format!("op {op:?}: a burn-rate alert fires when the burn is high, so only gte and gt are supported"),
            ))
        }
    }
    let period_minutes = window_days * 24 * 60;
    let long_minutes = minutes(
        check.required("lookbackWindow")?,
        "lookbackWindow",
        1,
        period_minutes,
    )?;
    let for_minutes = match check.get("alertAfter") {
        Some(node) => minutes(node, "alertAfter", 0, period_minutes)?,
        None => 0,
    };
    let (threshold_text, threshold_pos) = check.scalar("threshold")?;
    let highest = 1.0 / (1.0 - target);
    let burn_rate = threshold_text
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| {
            YamlError::at(
                threshold_pos,
                format!("threshold {threshold_text:?}: expected a burn rate above 0, e.g. 14.4"),
            )
        })?;
    if burn_rate > highest {
        return Err(YamlError::at(
            threshold_pos,
            format!("a burn rate of {burn_rate} can never be reached: at a target of {target} even a total outage burns at {highest:.0}"),
        ));
    }
    // Ops Dojo's own export keeps the short window and keep_firing_for in annotations.
    let mut short_minutes = long_minutes;
    let mut keep_firing_minutes = 0;
    for object in [policy, condition] {
        if let Some(Node::Map(entries, _)) = object.annotations {
            for (key, _, value) in entries {
                match key.as_str() {
                    "ops-dojo/short-window" => {
                        short_minutes = minutes(value, key, 1, long_minutes)?
                    }
                    "ops-dojo/keep-firing-for" => {
                        keep_firing_minutes = minutes(value, key, 0, period_minutes)?
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(ImportedRule {
        name: condition.display_name.unwrap_or(condition.name).to_string(),
        spec: AlertRuleSpec {
            severity,
            long_minutes,
            short_minutes,
            burn_rate,
            for_minutes,
            keep_firing_minutes,
        },
    })
}

/// OpenSLO leaves severity free text: these words wake someone up, the rest wait.
fn severity_of(text: &str) -> Severity {
    match text.to_ascii_lowercase().as_str() {
        "page" | "critical" | "high" | "urgent" | "emergency" | "p1" | "sev1" | "sev-1" => {
            Severity::Page
        }
        _ => Severity::Ticket,
    }
}

impl ImportedSlo {
    /// The SLO as a scenario SLO of the entry service: availability, with the file's
    /// alert conditions as its own table (the Workbook's when the file has none).
    pub fn slo_spec(&self) -> SloSpec {
        SloSpec {
            name: self
                .name
                .chars()
                .take(crate::scenario::limits::MAX_NAME_CHARS)
                .collect(),
            sli: SliKind::Availability,
            service: None,
            threshold_ms: None,
            target: Target(self.target),
            window_days: Bounded(self.window_days),
            alert_policy: None,
            alert_rules: self
                .rules
                .iter()
                .map(|rule| Spanned::new(0..0, rule.spec.to_text()))
                .collect(),
        }
    }
}
