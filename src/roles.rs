//! The two jobs Ops Dojo lets people try — DevOps engineer and site reliability engineer —
//! as careers: what each is, who tends to enjoy it, how to start, where it leads and what
//! it pays. Facts from a 2025 career guide (Coursera's editorial team), US pay from
//! Glassdoor (September 2025), growth from the US Bureau of Labor Statistics; the words are
//! the project's own. Each point the simulation lets someone feel links to where they live
//! it: a scenario, a role, and the panel or moment to watch.

use ops_dojo_engine::Role;

use crate::route::{PlayQuery, Route, Seat, DEFAULT_PARTNER};

/// Where the figures come from, as the page cites them.
pub const SOURCE: &str = "Coursera's career guide comparing SRE and DevOps engineering (updated 2025); pay: Glassdoor, US, September 2025; growth: US Bureau of Labor Statistics";
/// The date of the pay figures.
pub const PAY_DATE: &str = "September 2025";

/// The seed "live it" links start with: any seed teaches the same thing, and one fixed seed
/// lets two people who followed the same link compare.
pub const LIVE_IT_SEED: u64 = 1;

/// A place in Ops Dojo where a point about the jobs can be lived: a scenario played in a
/// role, and what to watch there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveIt {
    /// A built-in scenario's id.
    pub scenario: &'static str,
    pub role: Role,
    /// The panel or the moment that shows it.
    pub watch: &'static str,
}

impl LiveIt {
    /// The play link that starts this run (in the projector profile when asked).
    pub fn href(&self, projector: bool) -> String {
        let query = PlayQuery {
            profile: projector.then_some("projector"),
            ..PlayQuery::new(
                self.scenario,
                Seat::One(self.role),
                DEFAULT_PARTNER,
                LIVE_IT_SEED,
            )
        };
        Route::Play.href(&query.to_query())
    }
}

/// One row of the side-by-side table: an aspect, and each job's side of it (None where the
/// guide says nothing particular about that job).
pub struct Aspect {
    pub id: &'static str,
    pub name: &'static str,
    pub devops: Option<Point>,
    pub sre: Option<Point>,
}

/// A statement about a job, with where to live it in Ops Dojo if the simulation shows it.
pub struct Point {
    pub text: &'static str,
    pub live: Option<LiveIt>,
}

const fn point(text: &'static str, live: Option<LiveIt>) -> Option<Point> {
    Some(Point { text, live })
}

const fn live(scenario: &'static str, role: Role, watch: &'static str) -> Option<LiveIt> {
    Some(LiveIt {
        scenario,
        role,
        watch,
    })
}

/// The two jobs side by side.
pub const ASPECTS: &[Aspect] = &[
    Aspect {
        id: "core",
        name: "The heart of the job",
        devops: point(
            "Writes code, tests it and puts it in front of users, then keeps improving it both before and after the release.",
            live("friday-deploy", Role::Devops, "the backlog and the five ways to ship a feature"),
        ),
        sre: point(
            "Keeps software that is already running working well, together with everything it depends on.",
            live("first-slo", Role::Sre, "the availability chart and the error budget"),
        ),
    },
    Aspect {
        id: "origin",
        name: "Where it came from",
        devops: point(
            "Development and operations teams were joined into one team owning the whole life of the software, because handing work from one to the other was slow.",
            None,
        ),
        sre: point(
            "Started at Google in 2003 as an engineering way of keeping a service usable.",
            None,
        ),
    },
    Aspect {
        id: "measure",
        name: "What counts as doing well",
        devops: point(
            "Delivery: how quickly and how safely changes reach users.",
            live("friday-deploy", Role::Devops, "“Outcomes so far”: the four DORA keys and their tier"),
        ),
        sre: point(
            "Service level indicators (how often the service does what users want) measured against objectives, the targets agreed for them.",
            live("first-slo", Role::Sre, "the SLO line on the availability chart and the budget it leaves"),
        ),
    },
    Aspect {
        id: "day",
        name: "A day in it",
        devops: point(
            "Many hats and lots of variety: building, testing, refining; when something breaks, asking why, and what would stop that whole kind of problem.",
            live("budget-policy", Role::Devops, "the backlog, the pipeline and the investments, all competing for the same hours"),
        ),
        sre: point(
            "Part planned, part reactive: fixing known issues, heading off downtime, watching errors, latency and traffic; the first person called when something breaks.",
            live("launch-day", Role::Sre, "capacity before the surge, load shedding during it"),
        ),
    },
    Aspect {
        id: "triage",
        name: "Triage",
        devops: None,
        sre: point(
            "Works through a queue of problems, taking the one that could do the most harm first.",
            live("night-on-call", Role::Sre, "the services table when the pager goes off: which service hurts most?"),
        ),
    },
    Aspect {
        id: "on-call",
        name: "On-call",
        devops: None,
        sre: point(
            "Big companies staff the pager around the clock in shifts; small ones take turns and share the incidents that come after hours.",
            live("night-on-call", Role::Sre, "the pager at 02:30 on the first night: time to acknowledge, time to mitigate"),
        ),
    },
    Aspect {
        id: "between",
        name: "Between incidents",
        devops: None,
        sre: point(
            "Writes automation so things keep running without a person, and software that watches the site and alerts people.",
            live("toil", Role::Sre, "the investments: automate renewals, clean-ups and restarts, and watch the toil share fall"),
        ),
    },
    Aspect {
        id: "collaboration",
        name: "Working with others",
        devops: point(
            "All the time: alongside developers, operations, UX designers, QA and testers. Breaking down the walls between teams is the point.",
            live("budget-policy", Role::Devops, "the deploy freeze the SRE calls on your releases"),
        ),
        sre: point(
            "In a team of software engineers with similar skills; more time working alone, much of it writing code.",
            live("budget-policy", Role::Sre, "the freeze button: when do you stop the releases, and for how long?"),
        ),
    },
    Aspect {
        id: "approach",
        name: "The approach",
        devops: point(
            "Closer to a philosophy: culture, the flow of work, collaboration.",
            None,
        ),
        sre: point(
            "Practical and systematic: set practices and clear targets.",
            live("alerts-that-matter", Role::Sre, "burn-rate alert rules with fixed thresholds: page or ticket?"),
        ),
    },
    Aspect {
        id: "peacekeeper",
        name: "Keeping the peace",
        devops: None,
        sre: point(
            "Often described as the one who keeps applications, servers and teams talking to each other, with a working product as the goal.",
            None,
        ),
    },
];

/// What the two jobs share.
pub const SHARED: &[&str] = &[
    "Much the same skills and tools, automation first of all.",
    "Both grew out of a search for better ways for technology teams to work.",
    "Both aim at products without bugs and a better experience for customers.",
    "Both spend time looking for weak spots before anything breaks.",
];

/// Who tends to enjoy a job: the guide's view, offered as a start for reflection. Each
/// point has a question the "your two jobs" page asks beside a fact from the person's runs.
pub struct Suits {
    pub id: &'static str,
    pub text: &'static str,
    pub live: Option<LiveIt>,
}

pub const SUITS_DEVOPS: &[Suits] = &[
    Suits {
        id: "variety",
        text: "People who like variety and can juggle several things, managing their own time.",
        live: live(
            "budget-policy",
            Role::Devops,
            "the backlog, the pipeline and the investments",
        ),
    },
    Suits {
        id: "create",
        text: "People who enjoy making new products.",
        live: live(
            "friday-deploy",
            Role::Devops,
            "features shipped and the value they carry",
        ),
    },
    Suits {
        id: "people",
        text: "People who like talking with colleagues across departments.",
        live: live(
            "budget-policy",
            Role::Devops,
            "the freeze: your releases meet the SRE's budget",
        ),
    },
];

pub const SUITS_SRE: &[Suits] = &[
    Suits {
        id: "troubleshooting",
        text: "People who enjoy troubleshooting and don't mind the odd emergency.",
        live: live(
            "night-on-call",
            Role::Sre,
            "the pager and the services table at 02:30",
        ),
    },
    Suits {
        id: "solo-code",
        text: "People who like working alone and writing a lot of code.",
        live: live(
            "toil",
            Role::Sre,
            "automation investments against ten services of toil",
        ),
    },
    Suits {
        id: "hours",
        text: "People who accept worse hours and time on call.",
        live: live("night-on-call", Role::Sre, "the night pages"),
    },
    Suits {
        id: "targets",
        text: "People who prefer a firm system with clear targets.",
        live: live(
            "first-slo",
            Role::Sre,
            "the SLO target and the error budget it leaves",
        ),
    },
];

/// A note that goes with "who suits which".
pub const SRE_ENTRY_NOTE: &str =
    "SRE postings tend to ask for more skills or experience from the start.";

/// How to get started, per job.
pub const START_BOTH: &str = "Most employers expect a bachelor's degree in computer science or a related field for either job; for SRE it is close to a requirement unless you are already an established engineer.";

pub const START_DEVOPS: &[&str] = &[
    "A thorough understanding of how software is developed.",
    "Linux.",
    "At least one programming language: Python, Perl, Ruby or Java.",
    "Agile ways of working.",
    "Certifications that stand out: Docker Certified Associate, a Kubernetes certification, AWS Certified DevOps Engineer – Professional. None is needed for an entry-level job.",
];

pub const START_SRE: &[&str] = &[
    "An aptitude for computer science, and coding.",
    "Several operating systems, automation and the cloud.",
    "Networking, security and systems administration help.",
    "Certifications from the DevOps Institute or the American Society for Quality; online courses for languages such as Python.",
];

/// Career paths and titles.
pub const PATH_DEVOPS: &[&str] = &[
    "DevOps engineer, then senior DevOps engineer, then software release manager.",
    "Or a move sideways: automation engineer, software tester, integration specialist, security engineer — or SRE.",
];

pub const PATH_SRE: &[&str] = &[
    "Titles: site reliability engineer, reliability engineer, automation engineer.",
    "Senior levels are often called SRE II and SRE III.",
    "Specialised postings exist too, such as “SRE – security”.",
];

/// A row of the pay table: US median total pay (salary, bonuses and profit sharing).
pub struct PayRow {
    pub role: Role,
    pub median: &'static str,
    pub entry: &'static str,
    pub mid: &'static str,
    pub senior: &'static str,
}

pub const PAY: [PayRow; 2] = [
    PayRow {
        role: Role::Devops,
        median: "$141,000",
        entry: "$93,000–$155,000",
        mid: "$111,000–$179,000",
        senior: "$136,000–$214,000 (senior DevOps engineer, 7–9 years)",
    },
    PayRow {
        role: Role::Sre,
        median: "$167,000",
        entry: "$96,000–$162,000",
        mid: "$122,000–$196,000",
        senior: "median $184,000 (senior SRE, SRE II–III, mid to late career)",
    },
];

/// The outlook, with its source.
pub const OUTLOOK: &[&str] = &[
    "The US Bureau of Labor Statistics expects jobs for software developers, a group that includes both roles, to grow by 15 % from 2024 to 2034.",
    "Larger companies tend to pay more for SRE work.",
];

/// The "who suits which" point a fact of the person's runs speaks to, by its id.
pub fn suits(id: &str) -> Option<&'static Suits> {
    SUITS_DEVOPS.iter().chain(SUITS_SRE).find(|s| s.id == id)
}

/// What a seat means in a scenario, in one line, from the scenario's own numbers: who is
/// in the team, who the pager wakes, what is waiting to ship.
pub fn seat_line(scenario: &ops_dojo_engine::Scenario, seat: Seat) -> String {
    let team = &scenario.team;
    let days = scenario.days.0;
    let span = match days {
        1 => "today".to_string(),
        7 => "this week".to_string(),
        d => format!("for these {d} days"),
    };
    let people = |n: u32, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    let backlog = scenario.delivery.features.0;
    let sre = format!(
        "you are the on-call SRE {span}: {} (you included), and the pages, night ones too, come to you",
        people(team.sre_engineers.0, "engineer")
    );
    let devops = format!(
        "you are the DevOps engineer {span}: {}, {} waiting in the backlog, and you choose how each one ships",
        people(team.devops_engineers.0, "engineer"),
        people(backlog, "feature")
    );
    let line = match seat {
        Seat::One(Role::Sre) => sre,
        Seat::One(Role::Devops) => devops,
        Seat::Both => format!(
            "you build it and you run it {span}: {} on delivery and {} on operations, and the pager is yours too",
            people(team.devops_engineers.0, "engineer"),
            people(team.sre_engineers.0, "engineer")
        ),
    };
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_ascii_uppercase(), chars.as_str()),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use ops_dojo_engine::catalog;

    use super::*;

    #[test]
    fn every_live_it_link_opens_a_built_in_scenario_in_its_role() {
        let lives = ASPECTS
            .iter()
            .flat_map(|a| [a.devops.as_ref(), a.sre.as_ref()])
            .flatten()
            .filter_map(|p| p.live)
            .chain(SUITS_DEVOPS.iter().chain(SUITS_SRE).filter_map(|s| s.live));
        let mut n = 0;
        for live in lives {
            n += 1;
            assert!(
                catalog::load(live.scenario).is_some(),
                "{} is not built in",
                live.scenario
            );
            let href = live.href(false);
            let query = href.split_once('?').expect("a query").1;
            let params = crate::route::PlayParams::parse(query).expect("the link opens");
            assert_eq!(params.seat, Seat::One(live.role));
            assert_eq!(params.scenario.id.0, live.scenario);
        }
        assert!(n >= 10, "{n} live-it links");
        assert!(LiveIt {
            scenario: "toil",
            role: Role::Sre,
            watch: ""
        }
        .href(true)
        .ends_with("&profile=projector"));
    }

    #[test]
    fn the_seat_line_comes_from_the_scenario() {
        let scenario = catalog::load("night-on-call")
            .expect("built in")
            .expect("parses");
        let sre = seat_line(&scenario, Seat::One(Role::Sre));
        let engineers = scenario.team.sre_engineers.0;
        assert!(
            sre.starts_with(&format!(
                "You are the on-call SRE for these 4 days: {engineers} engineer"
            )),
            "{sre}"
        );
        let devops = seat_line(&scenario, Seat::One(Role::Devops));
        assert!(
            devops.starts_with("You are the DevOps engineer"),
            "{devops}"
        );
        let both = seat_line(&scenario, Seat::Both);
        assert!(both.starts_with("You build it and you run it"), "{both}");
        let week = catalog::load("first-slo")
            .expect("built in")
            .expect("parses");
        assert!(seat_line(&week, Seat::One(Role::Sre)).contains("this week"));
    }

    #[test]
    fn suits_points_are_found_by_id() {
        assert!(suits("troubleshooting").is_some());
        assert!(suits("variety").is_some());
        assert!(suits("nope").is_none());
    }
}
