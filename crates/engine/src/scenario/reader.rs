//! Reads a parsed TOML document into the scenario types through serde, keeping the position
//! of every value so that an error says where it is.
//!
//! Why not toml's own serde layer: it moves the parsed tree into one deserializer per value
//! and carries paths the format never uses (dates, enums written as tables, 128-bit numbers).
//! Copied for each scenario type, that code was the largest single part of the shipped wasm.
//! This one walks the tree by reference and keeps the per-type code to a few calls; its
//! messages are serde's own, as before (`invalid type: …`, `missing field …`).

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde_spanned::de::SpannedDeserializer;
use toml::de::{DeTable, DeValue};

/// Byte range of a value in the file.
type Span = Range<usize>;

/// A message and, when known, the byte range it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub span: Option<Span>,
}

impl ReadError {
    /// Places an error that has no position yet at `span` (the innermost value wins).
    #[inline(never)]
    fn at(mut self, span: &Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span.clone());
        }
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError {
            message: message.to_string(),
            span: None,
        }
    }
}

/// Parses `text` as TOML and reads it as a `T`.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    let root = DeTable::parse(text).map_err(|error| ReadError {
        message: error.message().to_string(),
        span: error.span(),
    })?;
    let span = root.span();
    let document = DeValue::Table(root.into_inner());
    T::deserialize(Node {
        value: &document,
        span,
    })
}

/// One value of the tree and where it is.
#[derive(Clone)]
struct Node<'a> {
    value: &'a DeValue<'a>,
    span: Span,
}

impl<'a> Node<'a> {
    fn of(value: &'a toml::Spanned<DeValue<'a>>) -> Self {
        Node {
            value: value.get_ref(),
            span: value.span(),
        }
    }
}

/// TOML integers fit i64 by the spec; the parser has already checked their digits.
fn integer(value: &toml::de::DeInteger<'_>) -> Result<i64, ReadError> {
    i64::from_str_radix(value.as_str(), value.radix())
        .map_err(|_| de::Error::custom("expected a whole number that fits 64 bits"))
}

fn float(value: &toml::de::DeFloat<'_>) -> Result<f64, ReadError> {
    value
        .as_str()
        .parse()
        .map_err(|_| de::Error::custom("expected a number"))
}

/// The error for a list longer than its type takes: `extra` is the first item too many and
/// `after` the number of items after it. Out of line: the deserializer is compiled once per
/// scenario type, this message only once.
#[inline(never)]
fn extra_items(total: usize, after: usize, extra: &toml::Spanned<DeValue<'_>>) -> ReadError {
    ReadError {
        message: format!(
            "expected {} items, found {total}: remove the extra ones",
            total - after - 1
        ),
        span: Some(extra.span()),
    }
}

/// serde's "invalid type" error for `value` where `expected` was wanted: the message serde
/// would give had the visitor been shown the value. Out of line, once for every type.
#[inline(never)]
fn wrong_type(value: &DeValue<'_>, expected: &dyn de::Expected) -> ReadError {
    let unexpected = match value {
        DeValue::String(text) => de::Unexpected::Str(text),
        DeValue::Integer(number) => match integer(number) {
            Ok(n) => de::Unexpected::Signed(n),
            Err(error) => return error,
        },
        DeValue::Float(number) => match float(number) {
            Ok(f) => de::Unexpected::Float(f),
            Err(error) => return error,
        },
        DeValue::Boolean(flag) => de::Unexpected::Bool(*flag),
        DeValue::Datetime(_) => de::Unexpected::Other("a date"),
        DeValue::Array(_) => de::Unexpected::Seq,
        DeValue::Table(_) => de::Unexpected::Map,
    };
    de::Error::invalid_type(unexpected, expected)
}

impl<'de> de::Deserializer<'de> for Node<'_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            DeValue::String(text) => visitor.visit_str(text),
            DeValue::Integer(number) => integer(number).and_then(|n| visitor.visit_i64(n)),
            DeValue::Float(number) => float(number).and_then(|n| visitor.visit_f64(n)),
            DeValue::Boolean(flag) => visitor.visit_bool(*flag),
            DeValue::Array(_) => return self.deserialize_seq(visitor),
            DeValue::Table(_) => return self.deserialize_map(visitor),
            DeValue::Datetime(_) => Err(wrong_type(self.value, &visitor)),
        }
        .map_err(|error| error.at(&self.span))
    }

    /// Lists and tables are read only as what their type asks for: a struct's or a list's
    /// reader is then compiled without the paths for every other kind of value (serde's
    /// derived struct visitor also reads a struct from a list, which a scenario never
    /// writes), and the error for a wrong kind is the one `deserialize_any` would give.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            DeValue::Array(items) => {
                let mut seq = Items(items.iter());
                visitor.visit_seq(&mut seq).and_then(|value| {
                    // A fixed-length list (the seven weekdays) takes only the items it
                    // needs: one left over is an error at that item, never dropped.
                    match seq.0.next() {
                        None => Ok(value),
                        Some(extra) => Err(extra_items(items.len(), seq.0.len(), extra)),
                    }
                })
            }
            other => Err(wrong_type(other, &visitor)),
        }
        .map_err(|error| error.at(&self.span))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            DeValue::Table(table) => visitor.visit_map(Entries {
                entries: table.iter(),
                value: None,
            }),
            other => Err(wrong_type(other, &visitor)),
        }
        .map_err(|error| error.at(&self.span))
    }

    /// A key that is present is `Some`; a missing one never reaches the deserializer.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let span = self.span.clone();
        visitor.visit_some(self).map_err(|error| error.at(&span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    /// `Spanned<T>` asks for its position through a struct with reserved field names.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if serde_spanned::de::is_spanned(name) {
            let span = self.span.clone();
            return visitor.visit_map(SpannedDeserializer::new(self, span));
        }
        self.deserialize_map(visitor)
    }

    /// Enums in scenario files are words: `sli = "latency"`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.value {
            DeValue::String(text) => visitor.visit_enum((&**text).into_deserializer()),
            _ => Err(de::Error::custom("expected a word in quotes")),
        }
        .map_err(|error: ReadError| error.at(&self.span))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple_struct identifier ignored_any
    }
}

impl<'de, 'a> IntoDeserializer<'de, ReadError> for Node<'a> {
    type Deserializer = Node<'a>;

    fn into_deserializer(self) -> Node<'a> {
        self
    }
}

/// The items of an array, in order.
struct Items<'a>(std::slice::Iter<'a, toml::Spanned<DeValue<'a>>>);

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        match self.0.next() {
            Some(item) => seed
                .deserialize(Node::of(item))
                .map(Some)
                .map_err(|error| error.at(&item.span())),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

type TableEntries<'a> = <&'a DeTable<'a> as IntoIterator>::IntoIter;

/// The keys and values of a table; an unknown key is reported at the key.
struct Entries<'a> {
    entries: TableEntries<'a>,
    value: Option<&'a toml::Spanned<DeValue<'a>>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let name: &str = key.get_ref();
        seed.deserialize(name.into_deserializer())
            .map(Some)
            .map_err(|error: ReadError| error.at(&key.span()))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        match self.value.take() {
            // A value's own check (a number above 0, …) fails after the value was read:
            // the error is placed here, at the value, not at the table around it.
            Some(value) => seed
                .deserialize(Node::of(value))
                .map_err(|error| error.at(&value.span())),
            // serde asks for a value only after a key, so this is never reached.
            None => Err(de::Error::custom("a value without a key")),
        }
    }
}
