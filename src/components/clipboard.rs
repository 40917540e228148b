//! Copying text to the clipboard from the browser, and the copy buttons that
//! the Markdown renderer puts on code blocks.

/// Puts `text` on the clipboard (the page must be focused; failures are
/// silent, the text stays on screen to copy by hand).
pub fn copy_text(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let clipboard = leptos::prelude::window().navigator().clipboard();
        let _ = clipboard.write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Handles a click anywhere in the conversation: a click on a code block's
/// copy button copies that block's code and says "Copied" for a moment.
#[cfg(feature = "hydrate")]
pub fn on_conversation_click(ev: &leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(Some(button)) = target.closest(".copy-code") else {
        return;
    };
    let code = button
        .closest(".code-block")
        .ok()
        .flatten()
        .and_then(|block| block.query_selector("code").ok().flatten())
        .and_then(|code| code.text_content());
    if let Some(code) = code {
        copy_text(&code);
        flash_copied(&button);
    }
}

/// Shows the button's `data-copied` text for a moment.
#[cfg(feature = "hydrate")]
fn flash_copied(button: &web_sys::Element) {
    let label = button.text_content().unwrap_or_default();
    if let Some(copied) = button.get_attribute("data-copied") {
        button.set_text_content(Some(&copied));
        let button = button.clone();
        leptos::prelude::set_timeout(
            move || button.set_text_content(Some(&label)),
            std::time::Duration::from_millis(1500),
        );
    }
}
