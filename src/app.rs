//! The application root: routes between the home page and a run.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::concepts::ConceptsPage;
use crate::pages::home::Home;
use crate::pages::play::PlayPage;
use crate::route::{wants_projector, PlayParams, Route};

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <HashRouter>
            <DisplayProfile />
            <Switch<Route> render={switch} />
        </HashRouter>
    }
}

/// `profile=projector` in any link switches to large type and stronger contrast for a
/// classroom projector (a class on `<body>`, so every page follows).
#[function_component(DisplayProfile)]
fn display_profile() -> Html {
    let location = use_location();
    let query = location
        .map(|l| l.query_str().to_string())
        .unwrap_or_default();
    let projector = wants_projector(&query);
    use_effect_with(projector, |&projector| {
        if let Some(body) = gloo::utils::document().body() {
            // Toggling a class cannot fail on a live body element; ignore the Result.
            let _ = body.class_list().toggle_with_force("projector", projector);
        }
    });
    Html::default()
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Play => html! { <PlayRoute /> },
        Route::Concepts => html! { <ConceptsPage /> },
        Route::NotFound => html! {
            <Home error={AttrValue::from("That page does not exist. Pick a scenario to start.")} />
        },
    }
}

/// Reads the run's parameters from the URL; bad ones send the player home with the reason.
#[function_component(PlayRoute)]
fn play_route() -> Html {
    let location = use_location();
    let query = location
        .as_ref()
        .map(|l| l.query_str().to_string())
        .unwrap_or_default();
    match PlayParams::parse(&query) {
        Ok(params) => html! { <PlayPage key={query} {params} /> },
        Err(message) => html! { <Home error={AttrValue::from(message)} /> },
    }
}
