//! Removes the comments from a TOML text, for `build.rs`; `tests/share.rs` tests it on
//! strings that hold a `#` and on every built-in scenario.

/// Where the reader is in the TOML text.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Code,
    Comment,
    /// "…", one line, with escapes.
    Basic,
    /// """…""", with escapes.
    MultiBasic,
    /// '…', one line, no escapes.
    Literal,
    /// '''…''', no escapes.
    MultiLiteral,
}

/// `text` without its comments (a `#` outside a string, to the end of its line: TOML 1.0),
/// the spaces before them, and blank lines or lines only a comment was on. Strings are kept
/// as written.
pub fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = At::Code;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let opens = |quotes: &str| rest.starts_with(quotes);
        let mut taken = c.len_utf8();
        match at {
            At::Code if opens("\"\"\"") => (at, taken) = (At::MultiBasic, 3),
            At::Code if opens("'''") => (at, taken) = (At::MultiLiteral, 3),
            At::Code if c == '"' => at = At::Basic,
            At::Code if c == '\'' => at = At::Literal,
            // A blank line between tables or keys: nobody reads it in here either.
            At::Code if c == '\n' && (out.is_empty() || out.ends_with('\n')) => {
                rest = &rest[1..];
                continue;
            }
            At::Code if c == '#' => {
                at = At::Comment;
                while out.ends_with([' ', '\t']) {
                    out.pop();
                }
            }
            At::Comment if c == '\n' => {
                at = At::Code;
                // A line that only held a comment goes with it.
                if out.is_empty() || out.ends_with('\n') {
                    rest = &rest[1..];
                    continue;
                }
            }
            At::Basic | At::MultiBasic if c == '\\' => {
                taken += rest[1..].chars().next().map_or(0, char::len_utf8);
            }
            At::Basic if c == '"' => at = At::Code,
            At::MultiBasic if opens("\"\"\"") => (at, taken) = (At::Code, 3),
            At::Literal if c == '\'' => at = At::Code,
            At::MultiLiteral if opens("'''") => (at, taken) = (At::Code, 3),
            _ => {}
        }
        if at != At::Comment {
            out.push_str(&rest[..taken]);
        }
        rest = &rest[taken..];
    }
    out
}
