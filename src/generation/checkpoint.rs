//! Stores the text of every reply being written, a few times a second, in
//! one transaction: a crash loses at most [`SAVE_EVERY`] of text, and the
//! database sees one commit per tick however many replies stream. The tasks
//! writing replies never wait for the database while text arrives.

use super::Generations;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::MissedTickBehavior;

/// How often the growing replies are stored while they stream.
pub const SAVE_EVERY: Duration = Duration::from_millis(250);

/// Starts the checkpoint loop; it runs as long as the server.
pub fn spawn_checkpoints(generations: Arc<Generations>, db: crate::store::Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SAVE_EVERY);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let batch: Vec<(i64, String, String)> = generations
                .live_replies()
                .iter()
                .filter_map(|live| {
                    live.unsaved_text()
                        .map(|(content, reasoning)| (live.message_id, content, reasoning))
                })
                .collect();
            if batch.is_empty() {
                continue;
            }
            if let Err(err) = crate::store::save_replies_text(&db, &batch).await {
                tracing::warn!(replies = batch.len(), %err, "could not save the replies so far");
            }
        }
    });
}
