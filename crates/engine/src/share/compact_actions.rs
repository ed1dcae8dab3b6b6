//! Actions in their compact form: the tick, the action's four numbers, and who took it in
//! one byte. Half the size of named fields, and the decoder is small.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{actor_byte, actor_of, Action, Fields, StampedAction};
use crate::clock::Tick;

#[derive(Serialize, Deserialize)]
struct Wire(Tick, Fields, u8);

pub fn serialize<S: Serializer>(actions: &[StampedAction], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(
        actions
            .iter()
            .map(|a| Wire(a.tick, a.action.fields(), actor_byte(a.by))),
    )
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<StampedAction>, D::Error> {
    Vec::<Wire>::deserialize(d)?
        .into_iter()
        .enumerate()
        .map(|(i, Wire(tick, fields, by))| {
            Action::from_fields(fields)
                .zip(actor_of(by))
                .map(|(action, by)| StampedAction { tick, action, by })
                .ok_or_else(|| D::Error::custom(format!("action {} is not a known action", i + 1)))
        })
        .collect()
}
