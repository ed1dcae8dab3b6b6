//! The state of a run on screen: the simulation plus how the player is watching it.
//!
//! The simulation is large (every tick's record), so the reducible state holds it behind a
//! shared cell and bumps `version` whenever it changes: cloning the state is cheap, and
//! charts redraw only when `version` moves.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use ops_dojo_engine::clock::{TICKS_PER_DAY, TICK_SECONDS};
use ops_dojo_engine::{Action, Simulation};
use yew::Reducible;

use crate::route::{PlayParams, Seat};
use crate::saved_runs::{self, Opened};

/// How fast simulated time passes, in simulated time per real second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    /// One simulated minute per second.
    Minute,
    /// Ten simulated minutes per second.
    TenMinutes,
    /// One simulated hour per second.
    Hour,
    /// Six simulated hours per second.
    SixHours,
    /// One simulated day per second: as fast as the page stays smooth.
    Max,
}

impl Speed {
    pub const ALL: [Speed; 5] = [
        Speed::Minute,
        Speed::TenMinutes,
        Speed::Hour,
        Speed::SixHours,
        Speed::Max,
    ];

    /// Ticks per real second.
    pub fn ticks_per_second(self) -> f64 {
        let simulated_seconds = match self {
            Speed::Minute => 60.0,
            Speed::TenMinutes => 600.0,
            Speed::Hour => 3_600.0,
            Speed::SixHours => 21_600.0,
            Speed::Max => 86_400.0,
        };
        simulated_seconds / f64::from(TICK_SECONDS)
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Minute => "1 min/s",
            Speed::TenMinutes => "10 min/s",
            Speed::Hour => "1 h/s",
            Speed::SixHours => "6 h/s",
            Speed::Max => "1 day/s",
        }
    }

    /// Stable name for tests and links.
    pub fn id(self) -> &'static str {
        match self {
            Speed::Minute => "1m",
            Speed::TenMinutes => "10m",
            Speed::Hour => "1h",
            Speed::SixHours => "6h",
            Speed::Max => "max",
        }
    }
}

/// A read-only view of the run for components: equal while the run has not changed, so
/// components re-render only when it moves. Components read the run through it and change
/// it only through the callbacks they are given.
#[derive(Debug, Clone)]
pub struct RunView {
    sim: Rc<RefCell<Simulation>>,
    pub version: u64,
    /// Who the person plays in this run (fixed for the page).
    pub seat: Seat,
}

impl PartialEq for RunView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim) && self.version == other.version
    }
}

impl RunView {
    pub fn sim(&self) -> Ref<'_, Simulation> {
        self.sim.borrow()
    }

    /// Why the person cannot take `action` now, asked of the engine (so a button is greyed
    /// out exactly when pressing it would be refused), or `None` when they can.
    pub fn refusal(&self, action: Action) -> Option<String> {
        let refused = self.sim().refusal(self.seat.actor(), action)?;
        Some(format!("Not now: {refused}"))
    }
}

/// Everything the play page shows.
#[derive(Debug, Clone)]
pub struct PlayState {
    pub sim: Rc<RefCell<Simulation>>,
    /// The role(s) the person plays; a bot plays any other.
    pub seat: Seat,
    pub playing: bool,
    pub speed: Speed,
    /// Bumped whenever the simulation changes; views compare it to skip work.
    pub version: u64,
    /// Why the last action was refused, shown until the next action.
    pub refusal: Option<String>,
    /// Where the run came from, when the page should say so (resumed, or a save unreadable).
    pub notice: Option<Notice>,
}

/// What the play page tells the player about the run it opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The run kept in this browser was resumed, at this simulated time.
    Resumed { at: String },
    /// The run kept in this browser could not be resumed: why, and the kept text (set aside,
    /// offered for download).
    Unreadable { message: String, text: Rc<str> },
}

impl PartialEq for PlayState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
            && self.version == other.version
            && self.playing == other.playing
            && self.speed == other.speed
            && self.seat == other.seat
            && self.refusal == other.refusal
            && self.notice == other.notice
    }
}

impl PlayState {
    /// Opens the run of `params`: the one kept in this browser if there is one (paused
    /// where it was), else a new one.
    pub fn open(params: &PlayParams) -> Self {
        let fresh = || {
            let mut sim = Simulation::new(params.scenario.clone(), params.seed);
            if let Some(role) = params.seat.other() {
                sim.add_bot(role, params.partner);
            }
            sim
        };
        let (sim, notice) = match saved_runs::open(params) {
            Opened::Fresh => (fresh(), None),
            Opened::Resumed(sim) => {
                let at = sim.clock().to_string();
                (*sim, Some(Notice::Resumed { at }))
            }
            Opened::Unreadable { message, text } => (
                fresh(),
                Some(Notice::Unreadable {
                    message,
                    text: text.into(),
                }),
            ),
        };
        Self {
            // A resumed run waits for the player; a new one starts moving.
            playing: notice.is_none(),
            sim: Rc::new(RefCell::new(sim)),
            seat: params.seat,
            speed: Speed::Hour,
            version: 0,
            refusal: None,
            notice,
        }
    }

    pub fn view(&self) -> RunView {
        self.view_at(self.version)
    }

    /// A view that claims `version`: with an older version than the run's, components that
    /// compare views skip re-rendering (see `use_slow_version`).
    pub fn view_at(&self, version: u64) -> RunView {
        RunView {
            sim: self.sim.clone(),
            version,
            seat: self.seat,
        }
    }

    fn changed(&self) -> Self {
        Self {
            version: self.version + 1,
            ..self.clone()
        }
    }
}

/// The run's version as panels that read the whole record see it: while the run plays, it
/// moves at most every `SLOW_REFRESH_MS` (like the charts); paused, at once. The clock and
/// the headline numbers follow every frame; tables, summaries and side panels need not, and
/// at the top speed reading 240,000 records each frame is what made frames late.
#[yew::hook]
pub fn use_slow_version(version: u64, playing: bool) -> u64 {
    let last = yew::use_mut_ref(|| (version, f64::NEG_INFINITY));
    let now = js_sys::Date::now();
    let mut last = last.borrow_mut();
    if last.0 != version && (!playing || now - last.1 >= SLOW_REFRESH_MS) {
        *last = (version, now);
    }
    last.0
}

/// Shortest time between two refreshes of the slow panels while the run plays, ms.
const SLOW_REFRESH_MS: f64 = 100.0;

/// What can happen to a run on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum PlayAction {
    /// Real time passed: simulate this many ticks.
    Advance(u32),
    /// Simulate one tick (while paused).
    Step,
    /// Simulate until something lands in the event log (an alert, usually), at most a day.
    SkipToNextEvent,
    TogglePlaying,
    SetSpeed(Speed),
    /// The player acts on the world.
    Act(Action),
}

impl Reducible for PlayState {
    type Action = PlayAction;

    fn reduce(self: Rc<Self>, action: PlayAction) -> Rc<Self> {
        match action {
            PlayAction::Advance(ticks) => {
                let ran = self.sim.borrow_mut().step_n(ticks);
                let finished = self.sim.borrow().is_finished();
                if ran == 0 && !(finished && self.playing) {
                    return self; // nothing changed: Yew skips the re-render
                }
                Rc::new(Self {
                    playing: self.playing && !finished,
                    ..self.changed()
                })
            }
            PlayAction::Step => {
                if self.sim.borrow_mut().step().is_none() {
                    return self;
                }
                Rc::new(self.changed())
            }
            PlayAction::SkipToNextEvent => {
                let ran = {
                    let mut sim = self.sim.borrow_mut();
                    let events_before = sim.events().len();
                    let mut ran = 0;
                    while ran < TICKS_PER_DAY
                        && sim.events().len() == events_before
                        && sim.step().is_some()
                    {
                        ran += 1;
                    }
                    ran
                };
                if ran == 0 {
                    return self;
                }
                Rc::new(Self {
                    playing: false,
                    ..self.changed()
                })
            }
            PlayAction::TogglePlaying => {
                let finished = self.sim.borrow().is_finished();
                Rc::new(Self {
                    playing: !self.playing && !finished,
                    ..(*self).clone()
                })
            }
            PlayAction::SetSpeed(speed) => Rc::new(Self {
                speed,
                ..(*self).clone()
            }),
            PlayAction::Act(action) => {
                let refusal = self
                    .sim
                    .borrow_mut()
                    .apply_by(self.seat.actor(), action)
                    .err()
                    .map(|e| e.to_string());
                Rc::new(Self {
                    refusal,
                    ..self.changed()
                })
            }
        }
    }
}
