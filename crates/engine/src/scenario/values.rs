//! Checked values: each field is checked while it is read, so an error points at the value.

use serde::{Deserialize, Deserializer, Serialize};

use super::FORMAT_VERSION;

macro_rules! checked_value {
    ($(#[$doc:meta])* $name:ident($inner:ty), $expected:literal, |$v:ident| $ok:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let $v = <$inner>::deserialize(deserializer)?;
                if $ok {
                    Ok(Self($v))
                } else {
                    Err(serde::de::Error::custom(format!(
                        concat!("expected ", $expected, ", found {}"),
                        $v
                    )))
                }
            }
        }
    };
}

checked_value!(
    /// A share from 0 to 1.
    Ratio(f64), "a number from 0 to 1", |v| (0.0..=1.0).contains(&v)
);
checked_value!(
    /// An SLO target: strictly between 0 and 1 (1 would leave no error budget at all).
    Target(f64), "a target between 0 and 1, e.g. 0.999 (1 leaves no error budget)",
    |v| v > 0.0 && v < 1.0
);
checked_value!(
    /// An hour of the day, 0 up to (not including) 24.
    HourOfDay(f64), "an hour of the day from 0 to 23.99", |v| (0.0..24.0).contains(&v)
);
checked_value!(
    /// The file format version.
    Format(u32), "format = 1 (the only version this Ops Dojo reads)", |v| v == FORMAT_VERSION
);

/// A whole number within `MIN..=MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Bounded<const MIN: u32, const MAX: u32>(pub u32);

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        if (i64::from(MIN)..=i64::from(MAX)).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected a whole number from {MIN} to {MAX}, found {value}"
            )))
        }
    }
}

/// An identifier: lowercase letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Identifier(pub String);

impl<'de> Deserialize<'de> for Identifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let valid = !text.is_empty()
            && text.len() <= 40
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if valid {
            Ok(Self(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected an id of 1 to 40 lowercase letters, digits or dashes, found {text:?}"
            )))
        }
    }
}

/// The largest number a field of a scenario file takes when its own type sets no tighter
/// limit: every number a file gives is finite and bounded, so no product of them overflows.
pub const NUMBER_LIMIT: u32 = 1_000_000_000;

/// A number strictly above zero and at most `MAX` (each field names its own limit, in the
/// field's unit; see `docs/scenario-format.md`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Positive<const MAX: u32 = NUMBER_LIMIT>(pub f64);

/// A number zero or above, and at most `MAX`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct NonNegative<const MAX: u32 = NUMBER_LIMIT>(pub f64);

/// Reads a float and checks it lies above 0 (or at 0, unless `above_zero`) and at most `max`.
fn number_within<'de, D: Deserializer<'de>>(
    deserializer: D,
    max: u32,
    above_zero: bool,
) -> Result<f64, D::Error> {
    let v = f64::deserialize(deserializer)?;
    let low = if above_zero {
        "above 0"
    } else {
        "of 0 or more"
    };
    let low_ok = if above_zero { v > 0.0 } else { v >= 0.0 };
    if !v.is_finite() || !low_ok {
        Err(serde::de::Error::custom(format!(
            "expected a number {low}, found {v}"
        )))
    } else if v > f64::from(max) {
        Err(serde::de::Error::custom(format!(
            "expected a number {low} and at most {max} (this field's limit), found {v}"
        )))
    } else {
        Ok(v)
    }
}

impl<'de, const MAX: u32> Deserialize<'de> for Positive<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        number_within(deserializer, MAX, true).map(Self)
    }
}

impl<'de, const MAX: u32> Deserialize<'de> for NonNegative<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        number_within(deserializer, MAX, false).map(Self)
    }
}
