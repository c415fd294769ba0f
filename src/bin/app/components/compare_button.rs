//! "Compare with an earlier capture or report…": picks the earlier file (a capture or a
//! phonehome JSON report), which the worker reads; says while it does, and why it could not
//! (the report shown stays as it was). What is new shows in the headline and the table.

use super::hooks::use_file_picker;
use crate::state::Comparison;
use web_sys::File;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareButtonProps {
    pub comparison: Option<Comparison>,
    pub on_compare: Callback<File>,
}

#[component]
pub fn CompareButton(props: &CompareButtonProps) -> Html {
    let picker = use_file_picker(props.on_compare.clone());
    html! {
        <>
            <button type="button" onclick={picker.open}>{ "Compare with an earlier capture or report…" }</button>
            <input ref={picker.input} id="compare-file" type="file" hidden=true aria-label="Earlier capture or report" onchange={picker.on_change} />
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
