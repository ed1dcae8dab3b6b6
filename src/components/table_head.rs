//! Column headings of the app's tables, one piece of code for all of them (each heading
//! written out in markup cost its own code in the shipped wasm).

use yew::prelude::*;

/// A `<th scope="col">` for each of `heads`, to go inside a table's heading row.
pub fn column_heads(heads: &[&'static str]) -> Html {
    heads
        .iter()
        .map(|head| html! { <th scope="col">{ *head }</th> })
        .collect()
}
