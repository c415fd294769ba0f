//! Custom hooks: the scroll window of a virtualised table, a button that opens a hidden file
//! input, and a `<select>` whose choice is set from outside.

use crate::virtual_window::{visible, Window};
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Row height of virtualised tables in CSS pixels; `www/style.css` gives rows this height.
pub const ROW_HEIGHT: f64 = 36.0;

pub struct VirtualRows {
    /// The scrolling element.
    pub container: NodeRef,
    /// Spacer rows standing in for the rows above and below the window.
    pub above: NodeRef,
    pub below: NodeRef,
    pub window: Window,
    pub onscroll: Callback<Event>,
}

fn set_height(node: &NodeRef, pixels: f64) {
    if let Some(element) = node.cast::<HtmlElement>() {
        // Set through the CSSOM: the page's Content-Security-Policy forbids inline style
        // attributes, but not style changes made by its own script.
        let _ = element.style().set_property("height", &format!("{pixels}px"));
    }
}

/// Tracks which of `total` rows are visible in `container` and sizes the spacers around them.
#[hook]
pub fn use_virtual_rows(total: usize) -> VirtualRows {
    let container = use_node_ref();
    let above = use_node_ref();
    let below = use_node_ref();
    // (scrollTop, clientHeight) of the container.
    let viewport = use_state_eq(|| (0.0, 0.0));
    let window = visible(viewport.0, viewport.1, ROW_HEIGHT, total);

    let measure = {
        let (container, viewport) = (container.clone(), viewport.setter());
        move || {
            if let Some(element) = container.cast::<web_sys::Element>() {
                viewport.set((f64::from(element.scroll_top()), f64::from(element.client_height())));
            }
        }
    };
    {
        let measure = measure.clone();
        use_effect_with(total, move |_| measure());
    }
    let onscroll = Callback::from(move |_: Event| measure());
    {
        let (above, below) = (above.clone(), below.clone());
        use_effect_with((window, total), move |(window, total)| {
            set_height(&above, window.start as f64 * ROW_HEIGHT);
            set_height(&below, total.saturating_sub(window.end) as f64 * ROW_HEIGHT);
        });
    }
    // Resizing the browser changes how many rows fit.
    {
        let container = container.clone();
        let setter = viewport.setter();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                if let Some(element) = container.cast::<web_sys::Element>() {
                    setter.set((f64::from(element.scroll_top()), f64::from(element.client_height())));
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    VirtualRows { container, above, below, window, onscroll }
}

/// A hidden `<input type="file">` opened by a button: give the input `input` and `on_change`,
/// the button `open`. Each chosen file goes to `on_file`.
pub struct FilePicker {
    pub input: NodeRef,
    pub open: Callback<MouseEvent>,
    pub on_change: Callback<Event>,
}

#[hook]
pub fn use_file_picker(on_file: Callback<File>) -> FilePicker {
    let input = use_node_ref();
    let open = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_change = Callback::from(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            on_file.emit(file);
        }
        // Choosing the same file again must fire `change` again.
        input.set_value("");
    });
    FilePicker { input, open, on_change }
}

/// A `<select>` (give it the returned ref) that shows `value` ("" for none), set again when the
/// value or the number of `options` changes. Set as the element's value: a select's shown
/// choice is a property, and an option's `selected` attribute stops counting once the user has
/// picked one.
#[hook]
pub fn use_select_value(value: String, options: usize) -> NodeRef {
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with((value, options), move |(value, _)| {
            if let Some(element) = select.cast::<HtmlSelectElement>() {
                element.set_value(value);
            }
        });
    }
    select
}
