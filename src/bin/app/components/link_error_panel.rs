//! A share link that could not be opened: the reason, prominently, and nothing else (no
//! partial report), with the way back to analysing one's own capture.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LinkErrorPanelProps {
    /// The message to show as it is (the core's damaged-link text, or why the worker failed).
    pub message: AttrValue,
    pub on_leave: Callback<()>,
}

#[component]
pub fn LinkErrorPanel(props: &LinkErrorPanelProps) -> Html {
    let on_leave = {
        let on_leave = props.on_leave.clone();
        Callback::from(move |_: MouseEvent| on_leave.emit(()))
    };
    html! {
        <section class="error-panel link-error" id="link-error" role="alert" aria-labelledby="link-error-title">
            <h2 id="link-error-title">{ "This shared link cannot be opened" }</h2>
            <p class="error-reason">{ props.message.clone() }</p>
            <p>{ "Nothing from it is shown. Ask whoever sent it for a new link, or analyse a capture of your own." }</p>
            <button type="button" onclick={on_leave}>{ "Analyse your own capture" }</button>
        </section>
    }
}
