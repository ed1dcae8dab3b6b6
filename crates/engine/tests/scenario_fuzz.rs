//! Whatever text a teacher loads, the reader answers with a scenario or an error that points
//! inside the text, never a panic (a panic in wasm kills the page). Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

use ops_dojo_engine::Scenario;
use proptest::prelude::*;

const BLACK_FRIDAY: &str = include_str!("../../../scenarios/black-friday.toml");

/// The error's line and column exist in `text` (a column may be one past a line's end).
fn points_inside(text: &str, line: usize, column: usize) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    line >= 1
        && line <= lines.len().max(1)
        && column >= 1
        && column <= lines.get(line - 1).map_or(0, |l| l.chars().count()) + 1
}

proptest! {
    #[test]
    fn any_text_is_read_or_refused_with_a_position(text in any::<String>()) {
        if let Err(error) = Scenario::parse(&text, "any.toml") {
            prop_assert!(points_inside(&text, error.line, error.column), "{error}");
        }
    }

    /// A real file with one stretch replaced: near misses reach deep into the reader.
    #[test]
    fn edited_real_files_are_read_or_refused_with_a_position(
        start in 0..BLACK_FRIDAY.len(),
        length in 0usize..40,
        insert in "[a-z0-9_ =.\\[\\]\"{},\\n-]{0,30}",
    ) {
        let start = (0..=start).rev().find(|&i| BLACK_FRIDAY.is_char_boundary(i)).unwrap_or(0);
        let end = (start + length..=BLACK_FRIDAY.len())
            .find(|&i| BLACK_FRIDAY.is_char_boundary(i))
            .unwrap_or(BLACK_FRIDAY.len());
        let text = format!("{}{}{}", &BLACK_FRIDAY[..start], insert, &BLACK_FRIDAY[end..]);
        if let Err(error) = Scenario::parse(&text, "edited.toml") {
            prop_assert!(points_inside(&text, error.line, error.column), "{error}");
        }
    }
}
