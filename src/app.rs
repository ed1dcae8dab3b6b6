//! The application root: routes between the home page and a run.

use yew::prelude::*;

use crate::pages::class::ClassResults;
use crate::pages::compare::ComparePage;
use crate::pages::concepts::ConceptsPage;
use crate::pages::home::Home;
use crate::pages::play::PlayPage;
use crate::pages::roles::RolesPage;
use crate::pages::you::YouPage;
use crate::route::{self, use_location, wants_projector, PlayParams, Route};
use crate::share_link;

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
        Route::Play => {
            // What a share link carries is kept now, and the plain link shows the run (the
            // address bar too, so a reload or a bookmark does not import it again).
            let plain = match share_link::take(query) {
                Some(Ok(plain)) => {
                    route::replace(Route::Play, &plain);
                    plain
                }
                Some(Err(message)) => return html! { <Home error={AttrValue::from(message)} /> },
                None => query.to_string(),
            };
            match PlayParams::parse(&plain) {
                Ok(params) => html! { <PlayPage key={plain} {params} /> },
                Err(message) => html! { <Home error={AttrValue::from(message)} /> },
            }
        }
        Route::Class => html! { <ClassResults /> },
        Route::Compare => html! { <ComparePage /> },
        Route::Concepts => html! { <ConceptsPage /> },
        Route::Roles => html! { <RolesPage /> },
        Route::You => html! { <YouPage /> },
        Route::NotFound => html! {
            <Home error={AttrValue::from("That page does not exist. Pick a scenario to start.")} />
        },
    }
}
