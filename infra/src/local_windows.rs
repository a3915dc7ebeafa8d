//! Fixed-window counters in this process's memory: what a limit counts with while Redis is away.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Fixed-window counters in this process's memory, for when Redis is away. Bounded: past `CAPACITY` keys the closed
/// windows are dropped, and if every window is still open the oldest half goes (an attacker rotating addresses can
/// then reset counts, but never grow memory without end).
#[derive(Default)]
pub struct LocalWindows {
    windows: Mutex<HashMap<String, (u64, Instant)>>,
    /// Until when Redis is taken to be away without asking it again: a Redis that does not answer costs each call
    /// its connection timeout, which a limit checked on every request must not pay each time.
    away_until: Mutex<Option<Instant>>,
}

impl LocalWindows {
    const CAPACITY: usize = 100_000;
    /// How long a failed call to Redis makes the limits count here before they try Redis again.
    pub const AWAY_FOR: Duration = Duration::from_secs(5);

    /// Redis failed just now: count here for a while.
    pub fn redis_failed(&self) {
        *self
            .away_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now() + Self::AWAY_FOR);
    }

    /// Did Redis fail a moment ago?
    pub fn redis_away(&self) -> bool {
        self.away_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|until| until > Instant::now())
    }

    /// Adds one to the window `key` (opening one of length `window` if none is open); answers the count and the
    /// seconds until the window closes.
    pub fn hit(&self, key: &str, window: Duration) -> (u64, u64) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::make_room(&mut windows, key, now);
        let entry = windows.entry(key.to_owned()).or_insert((0, now + window));
        if entry.1 <= now {
            *entry = (0, now + window);
        }
        entry.0 += 1;
        (entry.0, seconds_until(entry.1, now))
    }

    /// The count in the window `key` without adding to it, and the seconds until it closes.
    pub fn count(&self, key: &str) -> (u64, u64) {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match windows.get(key) {
            Some((count, ends)) if *ends > now => (*count, seconds_until(*ends, now)),
            _ => (0, 0),
        }
    }

    /// Opens the window `key` anew with one event in it.
    pub fn restart(&self, key: &str, window: Duration) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::make_room(&mut windows, key, now);
        windows.insert(key.to_owned(), (1, now + window));
    }

    fn make_room(windows: &mut HashMap<String, (u64, Instant)>, key: &str, now: Instant) {
        if windows.len() >= Self::CAPACITY && !windows.contains_key(key) {
            windows.retain(|_, (_, ends)| *ends > now);
            if windows.len() >= Self::CAPACITY {
                let mut ends: Vec<Instant> = windows.values().map(|(_, e)| *e).collect();
                ends.sort_unstable();
                let cut = ends[ends.len() / 2];
                windows.retain(|_, (_, e)| *e > cut);
            }
        }
    }
}

fn seconds_until(end: Instant, now: Instant) -> u64 {
    end.saturating_duration_since(now).as_secs().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_windows_count_within_a_window_and_start_again_after() {
        let local = LocalWindows::default();
        assert_eq!(local.count("a"), (0, 0));
        assert_eq!(local.hit("a", Duration::from_secs(60)).0, 1);
        assert_eq!(local.hit("a", Duration::from_secs(60)).0, 2);
        assert_eq!(local.count("a").0, 2);
        assert_eq!(local.count("b").0, 0);
        assert_eq!(local.hit("c", Duration::ZERO).0, 1);
        assert_eq!(local.hit("c", Duration::ZERO).0, 1, "a closed window starts again");
        local.restart("a", Duration::from_secs(5));
        assert_eq!(local.count("a").0, 1, "a restarted window holds one");
    }
}
