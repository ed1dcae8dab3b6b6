//! The person's actions in a result code: the tick and the action's four numbers. Who took
//! them is not carried: it is the seat the code declares, so it cannot be edited apart
//! from it.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Action, Actor, Fields, StampedAction};
use crate::clock::Tick;

#[derive(Serialize, Deserialize)]
struct Wire(Tick, Fields);

pub fn serialize<S: Serializer>(actions: &[StampedAction], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(actions.iter().map(|a| Wire(a.tick, a.action.fields())))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<StampedAction>, D::Error> {
    Vec::<Wire>::deserialize(d)?
        .into_iter()
        .enumerate()
        .map(|(i, Wire(tick, fields))| {
            Action::from_fields(fields)
                .map(|action| StampedAction {
                    tick,
                    action,
                    by: Actor::ANYONE,
                })
                .ok_or_else(|| {
                    D::Error::custom(format!(
                        "action {} is not a known action, or carries values its kind does not use",
                        i + 1
                    ))
                })
        })
        .collect()
}
