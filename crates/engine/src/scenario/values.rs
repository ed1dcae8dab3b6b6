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
    /// A number strictly above zero.
    Positive(f64), "a number above 0", |v| v.is_finite() && v > 0.0
);
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

checked_value!(
    /// A number zero or above.
    NonNegative(f64), "a number of 0 or more", |v| v.is_finite() && v >= 0.0
);
