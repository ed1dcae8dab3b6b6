//! Taking what a play link carries (a scenario file, a run) is a side effect: it writes to
//! this browser's storage and cleans the address bar. It happens here, in an effect, once
//! per link, never while a page renders.

use yew::prelude::*;

use crate::route::{self, query_value, Route};
use crate::share_link::{self, EMBED, RUN};

/// Where a play link stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Intake {
    /// Nothing (more) to take: play this query.
    Plain(String),
    /// The link carries data that is being taken.
    Pending,
    /// What the link carries could not be taken: why, in words.
    Failed(String),
}

/// Takes what `query` carries, if anything, and says what to play.
#[hook]
pub fn use_share_intake(query: &str) -> Intake {
    let carries = query_value(query, EMBED).is_some() || query_value(query, RUN).is_some();
    // The outcome of taking a query, kept with the query it belongs to.
    let taken = use_state(|| None::<(String, Result<String, String>)>);
    {
        let taken = taken.clone();
        use_effect_with(query.to_string(), move |query| {
            if let Some(result) = share_link::take(query) {
                if let Ok(plain) = &result {
                    // The plain link shows the run, so a reload or a bookmark does not
                    // import it again.
                    route::replace(Route::Play, plain);
                }
                taken.set(Some((query.clone(), result)));
            }
        });
    }
    if !carries {
        return Intake::Plain(query.to_string());
    }
    match &*taken {
        Some((of, Ok(plain))) if of == query => Intake::Plain(plain.clone()),
        Some((of, Err(message))) if of == query => Intake::Failed(message.clone()),
        _ => Intake::Pending,
    }
}
