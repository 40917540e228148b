//! A file someone imports: read as our export or refused with a reason,
//! never a panic, and what is accepted stays within the import's limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(conversation) = nexa_chat::chat::manage::parse_import(data) {
        assert!(conversation.messages.len() <= nexa_chat::chat::manage::MAX_IMPORT_MESSAGES);
    }
});
