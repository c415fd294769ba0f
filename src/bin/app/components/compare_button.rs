//! "Compare with an earlier capture or report…": picks the earlier file (a capture or a
//! phonehome JSON report), which the worker reads; says while it does, and why it could not
//! (the report shown stays as it was). What is new shows in the headline and the table.

use crate::state::Comparison;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareButtonProps {
    pub comparison: Option<Comparison>,
    pub on_compare: Callback<File>,
}

#[component]
pub fn CompareButton(props: &CompareButtonProps) -> Html {
    let input = use_node_ref();
    let open_picker = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_change = {
        let on_compare = props.on_compare.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_compare.emit(file);
            }
            // Choosing the same file again must fire `change` again.
            input.set_value("");
        })
    };
    html! {
        <>
            <button type="button" onclick={open_picker}>{ "Compare with an earlier capture or report…" }</button>
            <input ref={input} id="compare-file" type="file" hidden=true aria-label="Earlier capture or report" onchange={on_change} />
            if let Some(c) = &props.comparison {
                { match &c.outcome {
                    None => html! { <p class="compare-status" role="status">{ format!("Comparing with {}…", c.file_name) }</p> },
                    Some(Err(why)) => html! {
                        <p class="error-reason" role="alert" id="compare-problem">
                            { format!("{} could not be compared: {why}. The report shown is unchanged.", c.file_name) }
                        </p>
                    },
                    Some(Ok(())) => html! {},
                } }
            }
        </>
    }
}
