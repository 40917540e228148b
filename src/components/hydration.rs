//! Marks the page as interactive once the WASM has taken over, so browser
//! tests (and scripts) know when clicks and key presses are handled.

use leptos::prelude::*;

/// Sets `data-hydrated` on `<html>` after the calling component hydrates.
pub fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
}
