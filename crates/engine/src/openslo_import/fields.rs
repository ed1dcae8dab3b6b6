//! Reading the fields of an OpenSLO document: each reader says what it expected and where
//! (`line:column`) when a value is missing or of the wrong shape.

use crate::clock::minutes_label;

use super::yaml_tree::{Node, Pos, YamlError};
use super::{Object, Read};

/// The rolling window in days: exactly one entry, rolling, in days or weeks.
pub(super) fn time_window(node: &Node) -> Read<u32> {
    let Node::Seq(items, _) = node else {
        return Err(expected(node, "timeWindow", "a list with one entry"));
    };
    let [window] = items.as_slice() else {
        return Err(YamlError::at(
            node.pos(),
            "timeWindow must have exactly one entry",
        ));
    };
    let fields = Fields::of(window, "timeWindow", &["duration", "isRolling", "calendar"])?;
    let (rolling, rolling_pos) = fields.scalar("isRolling")?;
    if rolling != "true" || fields.get("calendar").is_some() {
        return Err(YamlError::at(
            rolling_pos,
            "only rolling windows (isRolling: true, no calendar) are supported",
        ));
    }
    let duration = fields.required("duration")?;
    let minutes = minutes(duration, "duration", 24 * 60, 90 * 24 * 60)?;
    if minutes % (24 * 60) != 0 {
        return Err(YamlError::at(
            duration.pos(),
            "a rolling window is a whole number of days, e.g. 28d or 4w",
        ));
    }
    Ok(minutes / (24 * 60))
}

/// The first objective's target (`target`, or `targetPercent` ÷ 100).
pub(super) fn objective(node: &Node) -> Read<(f64, Option<String>)> {
    let objectives = items(node, "objectives")?;
    let Some(first) = objectives.first() else {
        return Err(YamlError::at(
            node.pos(),
            "objectives is empty: give one with a target, e.g. target: 0.999",
        ));
    };
    let fields = Fields::of(
        first,
        "an objective",
        &[
            "displayName",
            "op",
            "value",
            "target",
            "targetPercent",
            "timeSliceTarget",
            "timeSliceWindow",
            "indicator",
            "indicatorRef",
            "compositeWeight",
        ],
    )?;
    for unsupported in [
        "op",
        "value",
        "timeSliceTarget",
        "timeSliceWindow",
        "indicator",
        "indicatorRef",
        "compositeWeight",
    ] {
        if let Some(at) = fields.key(unsupported) {
            return Err(YamlError::at(
                at,
                format!("{unsupported} is not supported in an objective: the lab reads displayName and target (or targetPercent)"),
            ));
        }
    }
    let (text, pos, scale) = match (fields.get("target"), fields.get("targetPercent")) {
        (Some(node), None) => (scalar(node, "target")?.0, node.pos(), 1.0),
        (None, Some(node)) => (scalar(node, "targetPercent")?.0, node.pos(), 100.0),
        _ => {
            return Err(YamlError::at(
                fields.pos,
                "an objective needs exactly one of target or targetPercent",
            ))
        }
    };
    let target = text
        .parse::<f64>()
        .ok()
        .map(|v| v / scale)
        .filter(|v| *v > 0.0 && *v < 1.0)
        .ok_or_else(|| {
            YamlError::at(pos, format!("{text:?}: expected a target between 0 and 1 (e.g. 0.999), or targetPercent between 0 and 100"))
        })?;
    let note = (objectives.len() > 1).then(|| {
        format!(
            "The SLO has {} objectives; the lab reads the first.",
            objectives.len()
        )
    });
    Ok((target, note))
}

/// A duration as OpenSLO writes it (`5m`, `1h`, `28d`, `4w`; `s` in whole minutes), in
/// minutes from `min` to `max`.
pub(super) fn minutes(node: &Node, field: &str, min: u32, max: u32) -> Read<u32> {
    let (text, pos) = scalar(node, field)?;
    let unit_at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let seconds_per: Option<u64> = match unit {
        "s" => Some(1),
        "m" => Some(60),
        "h" => Some(3600),
        "d" => Some(86_400),
        "w" => Some(7 * 86_400),
        _ => None,
    };
    let seconds = number
        .parse::<u64>()
        .ok()
        .zip(seconds_per)
        .and_then(|(n, per)| n.checked_mul(per))
        .filter(|s| s % 60 == 0)
        .ok_or_else(|| {
            YamlError::at(pos, format!("{field} {text:?}: expected a duration in whole minutes such as 5m, 1h, 28d or 4w"))
        })?;
    let found = seconds / 60;
    if found < u64::from(min) || found > u64::from(max) {
        return Err(YamlError::at(
            pos,
            format!(
                "{field} {text:?}: expected from {} to {}",
                minutes_label(min),
                minutes_label(max)
            ),
        ));
    }
    Ok(found as u32)
}

/// The text of a metric source, for display: its query if it has one.
pub(super) fn query_text(source: &Node) -> String {
    pub(super) fn find<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
        match node {
            Node::Map(entries, _) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
    let spec = find(source, "metricSource").and_then(|s| find(s, "spec"));
    let query = spec.and_then(|s| {
        let Node::Map(entries, _) = s else {
            return None;
        };
        entries.iter().find_map(|(_, _, v)| match v {
            Node::Scalar(text, _) => Some(text.clone()),
            _ => None,
        })
    });
    query.unwrap_or_else(|| "(no query)".into())
}

pub(super) fn object<'a>(fields: &Fields<'a>) -> Read<Object<'a>> {
    let metadata = Fields::of(
        fields.required("metadata")?,
        "metadata",
        &["name", "displayName", "labels", "annotations"],
    )?;
    Ok(Object {
        name: metadata.scalar("name")?.0,
        display_name: metadata
            .get("displayName")
            .map(|n| scalar(n, "displayName"))
            .transpose()?
            .map(|s| s.0),
        annotations: metadata.get("annotations"),
        spec: fields.required("spec")?,
    })
}

/// The document of kind `kind` among `known` that `reference` (the value of `field`) names.
pub(super) fn named<'a>(
    known: &[Object<'a>],
    reference: &Node,
    field: &str,
    kind: &str,
) -> Read<Object<'a>> {
    let (name, pos) = scalar(reference, field)?;
    known
        .iter()
        .find(|o| o.name == name)
        .copied()
        .ok_or_else(|| {
            YamlError::at(
                pos,
                format!("{field} {name:?}: no {kind} document has that metadata.name"),
            )
        })
}

/// The items of a list field.
pub(super) fn items<'a>(node: &'a Node, field: &str) -> Read<&'a [Node]> {
    match node {
        Node::Seq(items, _) => Ok(items),
        other => Err(expected(other, field, "a list")),
    }
}

pub(super) fn scalar<'a>(node: &'a Node, field: &str) -> Read<(&'a str, Pos)> {
    match node {
        Node::Scalar(text, pos) => Ok((text, *pos)),
        other => Err(expected(other, field, "a single value")),
    }
}

pub(super) fn expected(node: &Node, field: &str, what: &str) -> YamlError {
    YamlError::at(
        node.pos(),
        format!("{field}: expected {what}, found {}", node.kind()),
    )
}

/// A mapping whose keys are checked against the supported ones.
pub(super) struct Fields<'a> {
    entries: &'a [(String, Pos, Node)],
    pub(super) pos: Pos,
    what: &'static str,
}

impl<'a> Fields<'a> {
    pub(super) fn of(node: &'a Node, what: &'static str, supported: &[&str]) -> Read<Self> {
        let Node::Map(entries, pos) = node else {
            return Err(expected(node, what, "a mapping"));
        };
        if let Some((key, at, _)) = entries
            .iter()
            .find(|(k, _, _)| !supported.contains(&k.as_str()))
        {
            return Err(YamlError::at(
                *at,
                format!(
                    "{key} is not supported in {what} (supported: {})",
                    supported.join(", ")
                ),
            ));
        }
        Ok(Self {
            entries,
            pos: *pos,
            what,
        })
    }

    /// Where `key` is written, if it is.
    pub(super) fn key(&self, key: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, at, _)| *at)
    }

    pub(super) fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    pub(super) fn required(&self, key: &str) -> Read<&'a Node> {
        self.get(key)
            .ok_or_else(|| YamlError::at(self.pos, format!("{} needs {key}", self.what)))
    }

    pub(super) fn scalar(&self, key: &str) -> Read<(&'a str, Pos)> {
        scalar(self.required(key)?, key)
    }
}
