//! Ops Dojo in the browser: a thin Yew shell over the simulation engine.

mod app;
mod charts;
mod components;
mod format;
mod glossary;
mod hooks;
mod own_scenarios;
mod pages;
mod route;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
