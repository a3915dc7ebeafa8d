//! Ballot papers: each tick, the ballots holding papers may settle them (`app::papers`).

use crate::state::AppState;

/// One look at the held papers. Safe on several workers at once: settling takes each ballot's paper lock alone.
pub async fn tick(state: &AppState) {
    match crate::app::papers::settle_due(state, rand::random::<f64>).await {
        Ok(0) => {}
        // How many, never which, nor when any of them came.
        Ok(n) => tracing::debug!(papers = n, "ballot papers settled"),
        Err(e) => tracing::warn!(error = ?e, "could not settle ballot papers; the next tick tries again"),
    }
}
