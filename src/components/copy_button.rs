//! A button that copies a text (a result code, a share link) to the clipboard and says
//! whether it could; where the browser refuses, it says how to copy by hand.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub text: AttrValue,
}

/// What the last press managed.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Not,
    Yes,
    Failed,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| Copied::Not);
    {
        // A new text has not been copied yet.
        let copied = copied.clone();
        use_effect_with(props.text.clone(), move |_| copied.set(Copied::Not));
    }
    let on_copy = {
        let (text, copied) = (props.text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let promise = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&text);
            let copied = copied.clone();
            yew::platform::spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(promise).await;
                copied.set(if done.is_ok() {
                    Copied::Yes
                } else {
                    Copied::Failed
                });
            });
        })
    };
    html! {
        <>
            <button id={props.id.clone()} type="button" onclick={on_copy}>{ &props.label }</button>
            <span role="status" class="copy-status">
                { match *copied {
                    Copied::Not => String::new(),
                    Copied::Yes => format!("Copied ({} characters).", props.text.len()),
                    Copied::Failed => "This browser did not allow copying: click the text (it selects all of it) and press Ctrl+C.".to_string(),
                } }
            </span>
        </>
    }
}
