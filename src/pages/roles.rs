//! `#/roles`: the two jobs side by side — what each is, a day in it, who tends to enjoy it,
//! how to start, where it leads, what it pays — with a "live it" link beside every point the
//! simulation lets a learner feel for themselves.

use ops_dojo_engine::{catalog, Role};
use yew::prelude::*;

use crate::components::table_head::column_heads;
use crate::roles::{
    LiveIt, Point, Suits, ASPECTS, OUTLOOK, PATH_DEVOPS, PATH_SRE, PAY, PAY_DATE, SHARED, SOURCE,
    SRE_ENTRY_NOTE, START_BOTH, START_DEVOPS, START_SRE, SUITS_DEVOPS, SUITS_SRE,
};
use crate::route::{use_location, wants_projector, Route};

/// A "live it" link: the scenario's title, the role, and what to watch there.
fn live_it(live: &LiveIt, projector: bool) -> Html {
    let title = catalog::load(live.scenario)
        .and_then(Result::ok)
        .map_or_else(|| live.scenario.to_string(), |s| s.title);
    html! {
        <p class="live-it">
            <a href={live.href(projector)} data-scenario={live.scenario} data-role={live.role.id()}>
                { format!("Live it: {title} as {}", live.role.label()) }
            </a>
            { format!(" — watch {}", live.watch) }
        </p>
    }
}

fn point_cell(point: Option<&Point>, projector: bool) -> Html {
    match point {
        Some(point) => html! {
            <td>
                <p>{ point.text }</p>
                { for point.live.as_ref().map(|l| live_it(l, projector)) }
            </td>
        },
        None => html! { <td class="not-said">{ "—" }</td> },
    }
}

fn suits_list(role: Role, points: &[Suits], projector: bool) -> Html {
    html! {
        <div class="role-column">
            <h3>{ role.label() }</h3>
            <ul>
                { for points.iter().map(|s| html! {
                    <li id={format!("suits-{}", s.id)}>
                        <p>{ s.text }</p>
                        { for s.live.as_ref().map(|l| live_it(l, projector)) }
                    </li>
                }) }
            </ul>
        </div>
    }
}

fn plain_list(items: &[&str]) -> Html {
    html! { <ul>{ for items.iter().map(|i| html! { <li>{ *i }</li> }) }</ul> }
}

#[function_component(RolesPage)]
pub fn roles_page() -> Html {
    let projector = wants_projector(&use_location().query);
    let profile = if projector { "profile=projector" } else { "" };
    use_effect_with((), |()| {
        gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    html! {
        <main class="home roles-page">
            <p class="back-link"><a href={Route::Home.href(profile)}>{ "← Ops Dojo: back to the scenarios" }</a></p>
            <h1>{ "The two jobs" }</h1>
            <p class="tagline">{ "DevOps engineer and site reliability engineer (SRE): what each job is, who tends to enjoy it, how people get in, where it leads and what it pays. Where Ops Dojo lets you feel a point for yourself, a “Live it” link starts that run." }</p>
            <p class="hint">{ format!("Sources: {SOURCE}. The words here are our own.") }</p>
            <p>
                <a id="you-link" href={Route::You.href(profile)}>{ "Your two jobs" }</a>
                { ": what your own runs in this browser show about each role." }
            </p>

            <section aria-labelledby="side-by-side-title" class="roles-section">
                <h2 id="side-by-side-title">{ "Side by side" }</h2>
                <div class="table-wide">
                    <table class="roles-table" id="roles-table">
                        <caption class="visually-hidden">{ "The two jobs compared, aspect by aspect" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "" }<span class="visually-hidden">{ "Aspect" }</span></th>
                                { column_heads(&["DevOps engineer", "Site reliability engineer"]) }
                            </tr>
                        </thead>
                        <tbody>
                            { for ASPECTS.iter().map(|a| html! {
                                <tr id={format!("aspect-{}", a.id)}>
                                    <th scope="row">{ a.name }</th>
                                    { point_cell(a.devops.as_ref(), projector) }
                                    { point_cell(a.sre.as_ref(), projector) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{ "A dash: the guide says nothing particular about that job there." }</p>
            </section>

            <section aria-labelledby="shared-title" class="roles-section">
                <h2 id="shared-title">{ "What they share" }</h2>
                { plain_list(SHARED) }
            </section>

            <section aria-labelledby="suits-title" class="roles-section">
                <h2 id="suits-title">{ "Who tends to enjoy which" }</h2>
                <p>{ "The guide's view, and a starting point for your own thinking, never a verdict: plenty of people thrive in the job the list would not pick for them." }</p>
                <div class="role-columns">
                    { suits_list(Role::Devops, SUITS_DEVOPS, projector) }
                    { suits_list(Role::Sre, SUITS_SRE, projector) }
                </div>
                <p>{ SRE_ENTRY_NOTE }</p>
            </section>

            <section aria-labelledby="start-title" class="roles-section">
                <h2 id="start-title">{ "Getting started: skills, degrees, certifications" }</h2>
                <p>{ START_BOTH }</p>
                <div class="role-columns">
                    <div class="role-column"><h3>{ "DevOps engineer" }</h3>{ plain_list(START_DEVOPS) }</div>
                    <div class="role-column"><h3>{ "Site reliability engineer" }</h3>{ plain_list(START_SRE) }</div>
                </div>
            </section>

            <section aria-labelledby="paths-title" class="roles-section">
                <h2 id="paths-title">{ "Career paths and titles" }</h2>
                <div class="role-columns">
                    <div class="role-column"><h3>{ "DevOps engineer" }</h3>{ plain_list(PATH_DEVOPS) }</div>
                    <div class="role-column"><h3>{ "Site reliability engineer" }</h3>{ plain_list(PATH_SRE) }</div>
                </div>
            </section>

            <section aria-labelledby="pay-title" class="roles-section">
                <h2 id="pay-title">{ "Pay in the US, by experience" }</h2>
                <div class="table-wide">
                    <table class="compare-table pay-table" id="pay-table">
                        <caption id="pay-source">{ format!("Median total pay per year (salary with bonuses and profit sharing), US only. Source: Glassdoor, {PAY_DATE}.") }</caption>
                        <thead>
                            <tr>
                                { column_heads(&["Job", "Median, all levels", "Entry level", "4–6 years", "Senior"]) }
                            </tr>
                        </thead>
                        <tbody>
                            { for PAY.iter().map(|row| html! {
                                <tr>
                                    <th scope="row">{ row.role.label() }</th>
                                    <td>{ row.median }</td>
                                    <td>{ row.entry }</td>
                                    <td>{ row.mid }</td>
                                    <td>{ row.senior }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{ "Pay differs outside the US, between companies and cities, and it changes over time: read these as a snapshot, not a promise." }</p>
                <h3>{ "Job outlook" }</h3>
                { plain_list(OUTLOOK) }
            </section>
        </main>
    }
}
