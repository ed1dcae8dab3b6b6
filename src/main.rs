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
mod learning_path;
mod own_scenarios;
mod own_slo;
mod pages;
mod palette;
mod progress;
mod roles;
mod route;
mod saved_runs;
mod seed_study;
mod share_link;
mod state;
mod storage;
mod two_jobs;

// Talc instead of Rust's default dlmalloc: smaller in the shipped wasm and quicker at the
// many small allocations of a run. The page is single-threaded (the seed workers each have
// their own instance), so the lock-free dynamic heap is the right one.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // A seed worker (seed_study.rs) loads this same program only to call its exports: there
    // is no window and nothing to render.
    if web_sys::window().is_none() {
        return;
    }
    yew::Renderer::<app::App>::new().render();
}
