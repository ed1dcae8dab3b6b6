//! The concepts page: every concept the scenarios teach, explained in a few lines, so the
//! debrief's recap and the scenario cards can link a word to what it means. Each entry has
//! its own element id; `#/concepts?concept=<slug>` scrolls to it and marks it.

use ops_dojo_engine::catalog;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::to_production::ToProduction;
use crate::glossary::{self, GROUPS};
use crate::route::{query_value, use_location, wants_projector};

/// A link to a group's heading. Plain `#id` anchors cannot work: the router owns the hash.
fn group_href(title: &str, projector: bool) -> String {
    let profile = if projector { "&profile=projector" } else { "" };
    format!("#/concepts?group={}{profile}", glossary::slug(title))
}

/// Titles of the built-in scenarios that teach each concept, by the concept's slug.
struct Practised(Vec<(String, Vec<String>)>);

impl Practised {
    /// The titles practising the concept `slug` (a list of about fifty: a scan is enough,
    /// and ships less code than a map).
    fn get(&self, slug: &str) -> Option<&Vec<String>> {
        self.0
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, titles)| titles)
    }
}

fn practised_in() -> Practised {
    let mut list: Vec<(String, Vec<String>)> = Vec::new();
    for scenario in catalog::all().into_iter().flatten() {
        for concept in &scenario.concepts {
            let slug = glossary::slug(concept);
            match list.iter_mut().find(|(s, _)| *s == slug) {
                Some((_, titles)) => titles.push(scenario.title.clone()),
                None => list.push((slug, vec![scenario.title.clone()])),
            }
        }
    }
    Practised(list)
}

#[function_component(ConceptsPage)]
pub fn concepts_page() -> Html {
    let query = use_location().query;
    let projector = wants_projector(&query);
    let wanted = query_value(&query, "concept");
    let group = query_value(&query, "group");
    let practised = use_memo((), |_| practised_in());
    let target = wanted
        .as_ref()
        .map(|slug| format!("concept-{slug}"))
        .or_else(|| group.as_ref().map(|slug| format!("group-{slug}")));
    use_effect_with(target, |target| {
        let element = target
            .as_ref()
            .and_then(|id| gloo::utils::document().get_element_by_id(id));
        match element {
            // Focus too, so a screen reader starts reading at the entry the link named.
            Some(element) => {
                element.scroll_into_view();
                if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
            // Coming from a scrolled page, start at the top.
            None => gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0),
        }
    });
    let known = wanted.as_ref().is_none_or(|slug| {
        GROUPS
            .iter()
            .flat_map(|g| g.concepts)
            .any(|(name, _)| glossary::slug(name) == *slug)
    });
    // "Take this SLO to production" for any built-in scenario.
    let scenarios = use_memo((), |_| {
        catalog::all().into_iter().flatten().collect::<Vec<_>>()
    });
    let export_index = use_state(|| 0usize);
    let on_export_scenario = {
        let export_index = export_index.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            export_index.set(select.value().parse().unwrap_or(0));
        })
    };
    let home_href = if projector {
        "#/?profile=projector"
    } else {
        "#/"
    };

    html! {
        <main class="home concepts-page">
            <p class="back-link"><a href={home_href}>{ "← Ops Dojo: back to the scenarios" }</a></p>
            <h1>{ "Concepts" }</h1>
            <p class="tagline">{ "What the scenarios teach, a few lines each. In a run, every headline number's \"What is this?\" shows the same ideas with that run's own numbers." }</p>
            if !known {
                <p class="route-error" role="alert">{ "That link names a concept this page does not explain; here are all of them." }</p>
            }
            <section class="concept-group to-production-group" aria-labelledby="production-heading">
                <h2 id="production-heading">{ "From the dojo to production" }</h2>
                <p>{ "Every scenario's SLOs and burn-rate alerts export as the files teams deploy: OpenSLO v1 and Prometheus rules, with the numbers explained. Pick a scenario, and an alert table if you want another than its own." }</p>
                <p>
                    <label for="production-scenario">{ "Scenario " }</label>
                    <select id="production-scenario" onchange={on_export_scenario}>
                        { for scenarios.iter().enumerate().map(|(i, s)| html! {
                            <option value={i.to_string()} selected={i == *export_index}>{ s.title.clone() }</option>
                        }) }
                    </select>
                </p>
                if let Some(scenario) = scenarios.get(*export_index) {
                    <ToProduction scenario={scenario.clone()} />
                }
            </section>
            <nav aria-label="Groups of concepts">
                <ul class="concepts concept-groups">
                    { for GROUPS.iter().map(|group| html! {
                        <li><a href={group_href(group.title, projector)}>{ group.title }</a></li>
                    }) }
                </ul>
            </nav>
            { for GROUPS.iter().map(|group| {
                let heading = format!("group-{}", glossary::slug(group.title));
                html! {
                    <section class="concept-group" aria-labelledby={heading.clone()}>
                        <h2 id={heading} tabindex="-1">{ group.title }</h2>
                        <dl class="concept-list">
                            { for group.concepts.iter().map(|&(name, text)| {
                                let slug = glossary::slug(name);
                                let target = wanted.as_deref() == Some(slug.as_str());
                                html! {
                                    <div id={glossary::anchor_of(name)} tabindex="-1"
                                        class={classes!("concept-entry", target.then_some("target"))}>
                                        <dt>{ name }</dt>
                                        <dd>{ text }</dd>
                                        if let Some(titles) = practised.get(&slug) {
                                            <dd class="practised-in">{ format!("Practised in: {}", titles.join(", ")) }</dd>
                                        }
                                    </div>
                                }
                            }) }
                        </dl>
                    </section>
                }
            }) }
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_the_concept_or_group_to_show() {
        assert_eq!(
            query_value("?concept=erlang-c", "concept").as_deref(),
            Some("erlang-c")
        );
        assert_eq!(
            query_value("profile=projector&concept=slo", "concept").as_deref(),
            Some("slo")
        );
        assert_eq!(query_value("?concept=", "concept"), None);
        assert_eq!(query_value("?concepts=x", "concept"), None);
        assert_eq!(query_value("", "concept"), None);
        assert_eq!(
            group_href("Capacity and queueing", false),
            "#/concepts?group=capacity-and-queueing"
        );
    }

    #[test]
    fn every_concept_a_built_in_scenario_teaches_is_practised_somewhere() {
        let practised = practised_in();
        let queueing_lab = practised.get("erlang-c").expect("the lab teaches Erlang C");
        assert!(
            queueing_lab.iter().any(|t| t.contains("M/M/c")),
            "{queueing_lab:?}"
        );
    }
}
