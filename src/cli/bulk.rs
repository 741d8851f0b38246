//! Checking many files on every core, with results delivered in input order and a progress
//! line on a terminal.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Runs `work` on every item on all available cores and hands each result to `emit` in the
/// items' order, as soon as every earlier result has been emitted. Returns early (after the
/// workers stop) when `emit` returns false.
/// Each worker thread starts with its own state from `init` (a cache, say).
pub fn in_order<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    mut emit: impl FnMut(R) -> bool,
) {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        // A bounded channel keeps fast workers from running far ahead of the writer.
        let (tx, rx) = mpsc::sync_channel::<(usize, R)>(workers * 64);
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, init, work) = (&next, &stop, &init, &work);
            scope.spawn(move || {
                let mut state = init();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if tx.send((i, work(&mut state, &items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut due = 0;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&due) {
                due += 1;
                if !emit(r) {
                    stop.store(true, Ordering::Relaxed);
                    return;
                }
            }
        }
    });
}

/// "checked 12,000 of 100,000 files" on stderr, redrawn at most every 100 ms, only when stderr
/// is a terminal and the run is long enough to need it.
pub struct Progress {
    total: usize,
    done: usize,
    shown: Option<Instant>,
    enabled: bool,
}

impl Progress {
    /// Files below which no progress is shown.
    const MIN_FILES: usize = 200;

    /// A progress line for `total` files.
    pub fn new(total: usize) -> Self {
        Progress {
            total,
            done: 0,
            shown: None,
            enabled: total >= Self::MIN_FILES && std::io::stderr().is_terminal(),
        }
    }

    /// One more file done.
    pub fn tick(&mut self) {
        self.done += 1;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .shown
            .is_none_or(|t| now - t >= Duration::from_millis(100))
            || self.done == self.total
        {
            self.shown = Some(now);
            let _ = write!(
                std::io::stderr(),
                "\rchecked {} of {} files",
                self.done,
                self.total
            );
        }
    }

    /// Clears the line.
    pub fn finish(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_and_stop_early() {
        let items: Vec<u64> = (0..2000).collect();
        let mut seen = Vec::new();
        in_order(
            &items,
            || (),
            |_, x| x * 2,
            |r| {
                seen.push(r);
                true
            },
        );
        assert_eq!(seen, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        let mut count = 0;
        in_order(
            &items,
            || (),
            |_, x| *x,
            |_| {
                count += 1;
                count < 10
            },
        );
        assert_eq!(count, 10);
        in_order(
            &[] as &[u8],
            || (),
            |_, x| *x,
            |_| panic!("no items, no results"),
        );
    }
}
