//! Ops Dojo in the browser: a thin Yew shell over the simulation engine.

mod app;
mod charts;
mod class_results;
mod compare;
mod components;
mod download;
mod format;
mod glossary;
mod hooks;
mod own_scenarios;
mod pages;
mod route;
mod saved_runs;
mod state;
mod storage;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
