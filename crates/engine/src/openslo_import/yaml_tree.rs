//! YAML read into a small tree that remembers where each node was written, so that every
//! complaint about an OpenSLO file can say `line:column`.
//!
//! The events come from `saphyr-parser` (a YAML 1.2 parser, tested against the YAML test
//! suite, with no dependencies worth counting in the page). The tree is built without
//! recursion and refuses what a hostile paste could use to exhaust memory: aliases (the
//! "billion laughs"), more than [`MAX_NODES`] nodes and nesting deeper than [`MAX_DEPTH`].

use saphyr_parser::{Event, Parser, ScanError, Span};

/// Most nodes read: an OpenSLO SLO with its SLI and alert policies has about a hundred.
pub const MAX_NODES: usize = 10_000;

/// Deepest nesting read: OpenSLO's deepest path (an inline alert condition) is 9 levels.
pub const MAX_DEPTH: usize = 32;

/// Where a node starts: line and column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn of(span: &Span) -> Self {
        Self {
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }
}

/// A YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar as written (quoted or not), without type resolution: each field reads it.
    Scalar(String, Pos),
    Seq(Vec<Node>, Pos),
    /// Keys in the order written; keys are scalars.
    Map(Vec<(String, Pos, Node)>, Pos),
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Scalar(_, pos) | Node::Seq(_, pos) | Node::Map(_, pos) => *pos,
        }
    }

    /// What kind of node it is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Scalar(..) => "a single value",
            Node::Seq(..) => "a list",
            Node::Map(..) => "a mapping",
        }
    }
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl YamlError {
    pub fn at(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            pos,
            message: message.into(),
        }
    }
}

impl From<ScanError> for YamlError {
    fn from(error: ScanError) -> Self {
        let mark = error.marker();
        Self {
            pos: Pos {
                line: mark.line(),
                column: mark.col() + 1,
            },
            message: format!("not valid YAML: {}", error.info()),
        }
    }
}

/// A node being filled: a list, or a mapping with the key waiting for its value.
enum Open {
    Seq(Vec<Node>, Pos),
    Map(Vec<(String, Pos, Node)>, Pos, Option<(String, Pos)>),
}

/// Every document of `text`, in order.
pub fn documents(text: &str) -> Result<Vec<Node>, YamlError> {
    let mut documents = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut nodes = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event?;
        let pos = Pos::of(&span);
        let finished = match event {
            Event::Alias(_) => {
                return Err(YamlError::at(
                    pos,
                    "aliases (*name) are not supported: write the value out",
                ))
            }
            Event::Scalar(value, ..) => Some(Node::Scalar(value.into_owned(), pos)),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError::at(
                        pos,
                        format!(
                            "nested deeper than {MAX_DEPTH} levels: OpenSLO needs fewer than 10"
                        ),
                    ));
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Open::Seq(Vec::new(), pos),
                    _ => Open::Map(Vec::new(), pos, None),
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(items, at)) => Some(Node::Seq(items, at)),
                Some(Open::Map(entries, at, _)) => Some(Node::Map(entries, at)),
                None => None,
            },
            _ => None,
        };
        let Some(node) = finished else { continue };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(YamlError::at(
                pos,
                format!("more than {MAX_NODES} values: this is not an SLO file"),
            ));
        }
        match stack.last_mut() {
            None => documents.push(node),
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(entries, _, key)) => match key.take() {
                Some((name, at)) => {
                    if entries.iter().any(|(k, _, _)| *k == name) {
                        return Err(YamlError::at(at, format!("{name} is given twice")));
                    }
                    entries.push((name, at, node));
                }
                None => match node {
                    Node::Scalar(name, at) => *key = Some((name, at)),
                    other => {
                        return Err(YamlError::at(
                            other.pos(),
                            format!("a key must be a single value, not {}", other.kind()),
                        ))
                    }
                },
            },
        }
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_remember_where_they_start() {
        let docs = documents("a: 1\nb:\n  - x\n  - {c: d}\n---\ne: f\n").expect("yaml");
        assert_eq!(docs.len(), 2);
        let Node::Map(entries, _) = &docs[0] else {
            panic!("{docs:?}")
        };
        assert_eq!(entries[0].0, "a");
        assert_eq!(entries[1].1, Pos { line: 2, column: 1 });
        let Node::Seq(items, _) = &entries[1].2 else {
            panic!("{entries:?}")
        };
        assert_eq!(
            items[0],
            Node::Scalar("x".into(), Pos { line: 3, column: 5 })
        );
        assert_eq!(items[1].pos(), Pos { line: 4, column: 5 });
    }

    #[test]
    fn hostile_yaml_is_refused_with_a_position() {
        let laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n";
        let error = documents(laughs).expect_err("aliases");
        assert_eq!(error.pos.line, 2, "{error:?}");
        assert!(error.message.contains("aliases"));

        let deep = "[".repeat(40) + &"]".repeat(40);
        let error = documents(&deep).expect_err("deep");
        assert!(error.message.contains("nested deeper"), "{error:?}");

        let wide = format!("[{}]", "1,".repeat(MAX_NODES + 5));
        assert!(documents(&wide)
            .expect_err("wide")
            .message
            .contains("more than"));

        let twice = documents("a: 1\na: 2\n").expect_err("duplicate");
        assert_eq!(twice.pos, Pos { line: 2, column: 1 });

        let broken = documents("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert!(broken.message.starts_with("not valid YAML"), "{broken:?}");
        let tab = documents("a:\n\t- 1\n").expect_err("tab");
        assert_eq!(tab.pos.line, 2, "{tab:?}");
    }
}
