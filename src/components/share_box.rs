//! A share link to copy, with its QR code for a projector: a class scans it rather than
//! typing it. The code is drawn as SVG (one path), so it stays sharp at any size.

use qrcodegen::{QrCode, QrCodeEcc};
use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::share_link::{self, Setup};

#[derive(Properties, PartialEq)]
pub struct ShareBoxProps {
    /// Prefix of the box's element ids ("class-link" gives "class-link-text", …).
    pub id: AttrValue,
    pub setup: Setup,
    /// A run to open where it stands (`saved_runs::export`), if the link carries one.
    #[prop_or_default]
    pub run: Option<AttrValue>,
    /// What the link opens, said before it.
    pub hint: AttrValue,
}

#[function_component(ShareBox)]
pub fn share_box(props: &ShareBoxProps) -> Html {
    // Making a link may compress a scenario (the browser does it, asynchronously).
    let link = use_state(|| None::<Result<AttrValue, String>>);
    // Counts the links asked for: only the newest may show (a seed typed quickly asks for
    // several, and an older one may finish last).
    let asked = use_mut_ref(|| 0u32);
    {
        let (link, asked) = (link.clone(), asked.clone());
        use_effect_with(
            (props.setup.clone(), props.run.clone()),
            move |(setup, run)| {
                link.set(None);
                *asked.borrow_mut() += 1;
                let this = *asked.borrow();
                let (setup, run) = (setup.clone(), run.clone());
                yew::platform::spawn_local(async move {
                    let made = match run {
                        Some(run) => share_link::run_link(&setup, &run).await,
                        None => share_link::setup_link(&setup).await,
                    };
                    if *asked.borrow() == this {
                        link.set(Some(made.map(AttrValue::from)));
                    }
                });
            },
        );
    }
    let show_qr = use_state(|| false);
    let toggle_qr = {
        let show_qr = show_qr.clone();
        Callback::from(move |_: MouseEvent| show_qr.set(!*show_qr))
    };
    let link = match &*link {
        None => return html! { <p class="hint" role="status">{ "Making the link…" }</p> },
        Some(Err(why)) => {
            return html! { <p class="field-error" role="alert">{ format!("No link could be made: {why}.") }</p> }
        }
        Some(Ok(link)) => link.clone(),
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
        area.select();
    });
    let id = |part: &str| format!("{}-{part}", props.id);
    html! {
        <div class="share-box" id={props.id.clone()}>
            <p class="hint">{ &props.hint }</p>
            <label for={id("text")}>{ format!("Link ({} characters)", link.len()) }</label>
            <textarea id={id("text")} readonly=true rows="2" spellcheck="false"
                value={link.clone()} onfocus={select_all} />
            <p class="share-actions">
                <CopyButton id={id("copy")} label="Copy link" text={link.clone()} />
                <button id={id("qr-toggle")} type="button" onclick={toggle_qr} aria-expanded={show_qr.to_string()}>
                    { if *show_qr { "Hide QR code" } else { "Show QR code" } }
                </button>
            </p>
            if *show_qr {
                { qr_view(&link, &id("qr")) }
            }
        </div>
    }
}

/// Modules of quiet white around the code, as the QR standard asks.
const QUIET: i32 = 4;

/// The link as a QR code, or why it cannot be one.
fn qr_view(link: &str, id: &str) -> Html {
    // Low error correction: the most data per module, and a screen is not a dirty label.
    let Ok(code) = QrCode::encode_text(link, QrCodeEcc::Low) else {
        return html! {
            <p id={id.to_string()} class="field-error" role="status">
                { format!("This link is too long for a QR code ({} characters; a QR code holds about 2,900): hand it out as text, or share the scenario file.", link.len()) }
            </p>
        };
    };
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    let side = size + 2 * QUIET;
    html! {
        <svg id={id.to_string()} class="qr-code" viewBox={format!("0 0 {side} {side}")} role="img"
            aria-label="QR code of the link" shape-rendering="crispEdges">
            <rect width={side.to_string()} height={side.to_string()} fill="#fff" />
            <path d={path} fill="#000" />
        </svg>
    }
}
