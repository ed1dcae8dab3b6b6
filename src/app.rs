//! The application root: routes between the home page and a run.

use yew::prelude::*;

use crate::hooks::use_share_intake::{use_share_intake, Intake};
use crate::pages::alert_lab::AlertLabPage;
use crate::pages::class::ClassResults;
use crate::pages::compare::ComparePage;
use crate::pages::concepts::ConceptsPage;
use crate::pages::home::Home;
use crate::pages::play::PlayPage;
use crate::pages::roles::RolesPage;
use crate::pages::you::YouPage;
use crate::route::{use_location, wants_projector, PlayParams, Route};

#[function_component(App)]
pub fn app() -> Html {
    let location = use_location();
    html! {
        <>
            <DisplayProfile query={location.query.clone()} />
            { switch(location.route, &location.query) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DisplayProfileProps {
    query: String,
}

/// `profile=projector` in any link switches to large type and stronger contrast for a
/// classroom projector (a class on `<body>`, so every page follows).
#[function_component(DisplayProfile)]
fn display_profile(props: &DisplayProfileProps) -> Html {
    let projector = wants_projector(&props.query);
    use_effect_with(projector, |&projector| {
        if let Some(body) = gloo::utils::document().body() {
            // Toggling a class cannot fail on a live body element; ignore the Result.
            let _ = body.class_list().toggle_with_force("projector", projector);
        }
    });
    Html::default()
}

fn switch(route: Route, query: &str) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Play => html! { <PlayRoute query={query.to_string()} /> },
        Route::Class => html! { <ClassResults /> },
        Route::Compare => html! { <ComparePage /> },
        Route::Concepts => html! { <ConceptsPage /> },
        Route::Roles => html! { <RolesPage /> },
        Route::You => html! { <YouPage /> },
        Route::AlertLab => html! { <AlertLabPage /> },
        Route::NotFound => html! {
            <Home error={AttrValue::from("That page does not exist. Pick a scenario to start.")} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct PlayRouteProps {
    query: String,
}

/// A play link: what it carries is taken first (in an effect, see `use_share_intake`),
/// then the plain link opens the run, or the home page says what is wrong with it.
#[function_component(PlayRoute)]
fn play_route(props: &PlayRouteProps) -> Html {
    match use_share_intake(&props.query) {
        Intake::Pending => html! { <main><p class="notice">{ "Opening the link…" }</p></main> },
        Intake::Failed(message) => html! { <Home error={AttrValue::from(message)} /> },
        Intake::Plain(plain) => match PlayParams::parse(&plain) {
            Ok(params) => html! { <PlayPage key={plain} {params} /> },
            Err(message) => html! { <Home error={AttrValue::from(message)} /> },
        },
    }
}
