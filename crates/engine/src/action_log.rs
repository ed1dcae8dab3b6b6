//! Action logs as JSON files (the CLI's `--actions` and `--write-actions`): a list of
//! `{"tick": N, "kind": "...", ...}` objects in tick order, each with the fields its kind
//! takes and, optionally, who took it (`"role"`, `"bot"`).
//!
//! Read strictly, because a lenient reader acts on the wrong thing: a misspelt key
//! (`"servce": 1`) would otherwise be dropped and the action would fall on the entry
//! service. Every key must be one the action's kind uses, every problem names the action
//! and its line and column, and the file's size is bounded before it is parsed.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::action::Policy;
use crate::action::{Action, Actor, StampedAction};
use crate::clock::Tick;
use crate::scenario::Role;

/// Largest log read, bytes (4 MB): a 90-day run with an action every simulated minute
/// writes about 12 MB, but a real player's log is a few kilobytes and a bot pair's about
/// 100 KB. Larger texts are refused before they are parsed.
pub const MAX_LOG_BYTES: usize = 4 << 20;

/// Most actions in one log: one per simulated minute of the longest run (90 days).
pub const MAX_LOG_ACTIONS: usize = 90 * 24 * 60;

/// Why a log could not be read: what is wrong, and where (1-based line and column; 0 when
/// the problem is the whole text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ActionLogError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads an action log. Actions must be in tick order (a replay must be exact).
pub fn read(text: &str) -> Result<Vec<StampedAction>, ActionLogError> {
    if text.len() > MAX_LOG_BYTES {
        return Err(ActionLogError {
            line: 1,
            column: 1,
            message: format!(
                "the log is {} bytes; the limit is {MAX_LOG_BYTES} bytes (one action a minute for 90 days fits)",
                text.len()
            ),
        });
    }
    let Log(actions) = serde_json::from_str(text).map_err(|e| ActionLogError {
        line: e.line(),
        column: e.column(),
        // serde_json appends " at line L column C": the position is already in the fields.
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    Ok(actions)
}

/// The whole log, checked item by item as it is read so that an error carries the
/// position of the action it is about.
struct Log(Vec<StampedAction>);

/// One action as written: its tick, who took it, and the kind with its fields (collected
/// here and read strictly by [`Action`]'s own deserializer, which knows each kind's fields).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    tick: Tick,
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    bot: Option<Policy>,
    kind: String,
    #[serde(default)]
    replicas: Option<u32>,
    #[serde(default)]
    service: Option<u16>,
    #[serde(default)]
    strategy: Option<serde_json::Value>,
    #[serde(default)]
    on: Option<bool>,
    #[serde(default)]
    approve: Option<bool>,
    #[serde(default)]
    rps: Option<u32>,
    #[serde(default)]
    target_percent: Option<u32>,
    #[serde(default)]
    max_replicas: Option<u32>,
    #[serde(default)]
    deploy: Option<u32>,
    #[serde(default)]
    item: Option<u32>,
    #[serde(default)]
    investment: Option<serde_json::Value>,
}

impl Entry {
    /// The action these fields describe; a missing field is an error, and so is a field its
    /// kind does not take (one that the action, written back, would not have).
    fn action(&self) -> Result<Action, String> {
        let mut fields = serde_json::Map::new();
        fields.insert("kind".into(), self.kind.clone().into());
        let numbers = [
            ("replicas", self.replicas),
            ("rps", self.rps),
            ("target_percent", self.target_percent),
            ("max_replicas", self.max_replicas),
            ("deploy", self.deploy),
            ("item", self.item),
        ];
        for (key, value) in numbers {
            if let Some(value) = value {
                fields.insert(key.into(), value.into());
            }
        }
        if let Some(service) = self.service {
            fields.insert("service".into(), service.into());
        }
        for (key, value) in [("on", self.on), ("approve", self.approve)] {
            if let Some(value) = value {
                fields.insert(key.into(), value.into());
            }
        }
        for (key, value) in [
            ("strategy", &self.strategy),
            ("investment", &self.investment),
        ] {
            if let Some(value) = value {
                fields.insert(key.into(), value.clone());
            }
        }
        let action = Action::deserialize(serde_json::Value::Object(fields.clone()))
            .map_err(|e| e.to_string())?;
        let written = serde_json::to_value(action).map_err(|e| e.to_string())?;
        if let Some(unused) = fields
            .keys()
            .find(|key| written.get(key.as_str()).is_none())
        {
            return Err(format!("\"{}\" takes no \"{unused}\"", self.kind));
        }
        Ok(action)
    }
}

impl<'de> Deserialize<'de> for Log {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(LogVisitor)
    }
}

struct LogVisitor;

impl<'de> Visitor<'de> for LogVisitor {
    type Value = Log;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(
            "a list of actions: [{\"tick\": 0, \"kind\": \"scale_to\", \"replicas\": 3}, …]",
        )
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Log, A::Error> {
        let mut actions: Vec<StampedAction> = Vec::new();
        while let Some(entry) = seq.next_element::<Entry>()? {
            let number = actions.len() + 1;
            if number > MAX_LOG_ACTIONS {
                return Err(de::Error::custom(format!(
                    "more than {MAX_LOG_ACTIONS} actions (one a minute for 90 days)"
                )));
            }
            let action = entry
                .action()
                .map_err(|why| de::Error::custom(format!("action {number}: {why}")))?;
            if let Some(before) = actions.last() {
                if entry.tick < before.tick {
                    return Err(de::Error::custom(format!(
                        "action {number} (tick {}) comes before the one above it (tick {}); actions must be in tick order",
                        entry.tick, before.tick
                    )));
                }
            }
            if entry.bot.is_some() && entry.role.is_none() {
                return Err(de::Error::custom(format!(
                    "action {number}: a bot plays a role: give \"role\" with \"bot\""
                )));
            }
            actions.push(StampedAction {
                tick: entry.tick,
                action,
                by: Actor {
                    role: entry.role,
                    bot: entry.bot,
                },
            });
        }
        Ok(Log(actions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_log_reads_back() {
        let actions = vec![
            StampedAction {
                tick: 6,
                action: Action::ScaleTo {
                    replicas: 4,
                    service: Some(1),
                },
                by: Actor::person(Role::Sre),
            },
            StampedAction {
                tick: 12,
                action: Action::ShipFeature {
                    strategy: crate::Strategy::Canary,
                },
                by: Actor::bot(Role::Devops, Policy::Balanced),
            },
            StampedAction {
                tick: 12,
                action: Action::Invest {
                    investment: crate::Investment::TestCoverage,
                },
                by: Actor::ANYONE,
            },
        ];
        let text = serde_json::to_string_pretty(&actions).expect("plain data");
        assert_eq!(read(&text), Ok(actions));
    }

    #[test]
    fn a_misspelt_key_is_an_error_at_its_action() {
        let text = "[\n  {\"tick\": 0, \"kind\": \"restart\", \"service\": 1},\n  {\"tick\": 6, \"kind\": \"restart\", \"servce\": 1}\n]";
        let error = read(text).expect_err("servce is not a key");
        assert_eq!(error.line, 3, "{error}");
        assert!(error.message.contains("servce"), "{error}");
    }

    #[test]
    fn a_field_the_kind_does_not_take_is_an_error() {
        let error = read(r#"[{"tick": 0, "kind": "roll_back", "service": 2}]"#)
            .expect_err("roll back takes no service");
        assert!(error.message.contains("action 1"), "{error}");
        assert!(error.message.contains("service"), "{error}");
        let error =
            read(r#"[{"tick": 0, "kind": "restart"}]"#).expect_err("restart needs its service");
        assert!(error.message.contains("service"), "{error}");
    }

    #[test]
    fn order_size_and_shape_are_checked() {
        let error = read(r#"[{"tick": 9, "kind": "hotfix"}, {"tick": 3, "kind": "hotfix"}]"#)
            .expect_err("out of order");
        assert!(error.message.contains("tick order"), "{error}");
        assert!(read("{}").is_err());
        assert!(read(&" ".repeat(MAX_LOG_BYTES + 1)).is_err());
        let error = read(r#"[{"tick": 0, "kind": "hotfix", "bot": "balanced"}]"#)
            .expect_err("a bot needs its role");
        assert!(error.message.contains("role"), "{error}");
    }
}
