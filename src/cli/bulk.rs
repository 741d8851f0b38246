//! Checking many files on every core, with results delivered in input order and a progress
//! line on a terminal.

use std::io::{IsTerminal, Write};
use std::sync::{mpsc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Runs `work` on every item on all available cores and hands each result to `emit` in the
/// items' order, as soon as every earlier result has been emitted. Returns early (after the
/// workers stop) when `emit` returns false.
/// Each worker thread starts with its own state from `init` (a cache, say).
///
/// Workers take the items in batches of consecutive ones and hand each batch over whole, so
/// the thread calling `emit` wakes once per batch, not once per item. Memory stays bounded
/// whatever the scheduling: no worker starts a batch more than a window of batches ahead of the
/// next one due, so a descheduled worker holding an early batch makes the others wait instead
/// of piling up results behind it.
pub fn in_order<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    emit: impl FnMut(R) -> bool,
) {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len())
        .max(1);
    // Batches small enough that every worker gets many (the last ones finish together), large
    // enough that handing one over costs little per item.
    let batch = (items.len() / (workers * 32)).clamp(1, 64);
    let window = Window::new(batch, workers * 4);
    run(items, workers, &window, init, work, emit);
}

/// Which batches may be worked on: those less than `ahead` batches past the next one due.
struct Window {
    /// Items a batch.
    batch: usize,
    /// Batches that may be claimed at once, counting the one due.
    ahead: usize,
    state: Mutex<WindowState>,
    /// Signalled when the batch due moves on (and on a stop), when a worker waits for it.
    room: Condvar,
}

struct WindowState {
    /// The next batch to claim.
    next: usize,
    /// Batches emitted: the batch due.
    done: usize,
    /// Workers waiting for room.
    waiting: usize,
    stop: bool,
}

impl Window {
    fn new(batch: usize, ahead: usize) -> Self {
        Window {
            batch: batch.max(1),
            ahead: ahead.max(1),
            state: Mutex::new(WindowState {
                next: 0,
                done: 0,
                waiting: 0,
                stop: false,
            }),
            room: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WindowState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next batch of `len` items to work on, once it is within the window; none when every
    /// batch is claimed or the run stopped.
    fn claim(&self, len: usize) -> Option<usize> {
        let mut s = self.lock();
        let b = s.next;
        if s.stop || b.saturating_mul(self.batch) >= len {
            return None;
        }
        s.next += 1;
        while b >= s.done + self.ahead && !s.stop {
            s.waiting += 1;
            s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
            s.waiting -= 1;
        }
        (!s.stop).then_some(b)
    }

    /// The batch due was emitted.
    fn advance(&self) {
        let mut s = self.lock();
        s.done += 1;
        // A wake-up is a system call: only when someone waits.
        if s.waiting > 0 {
            self.room.notify_all();
        }
    }

    /// No more batches: wakes the waiting workers to end.
    fn stop(&self) {
        self.lock().stop = true;
        self.room.notify_all();
    }
}

/// Stops the run when a worker or the writer panics, so that the workers do not wait for room
/// forever (the panic then ends the run).
struct StopOnPanic<'a>(&'a Window);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// [`in_order`] on `workers` threads within `window`.
fn run<T: Sync, S, R: Send>(
    items: &[T],
    workers: usize,
    window: &Window,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    mut emit: impl FnMut(R) -> bool,
) {
    let size = window.batch;
    std::thread::scope(|scope| {
        // Unbounded, but never holds more than the window's batches.
        let (tx, rx) = mpsc::channel::<(usize, Vec<R>)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (init, work) = (&init, &work);
            scope.spawn(move || {
                let _stop = StopOnPanic(window);
                let mut state = init();
                while let Some(b) = window.claim(items.len()) {
                    let chunk = &items[b * size..items.len().min((b + 1) * size)];
                    let results = chunk.iter().map(|item| work(&mut state, item)).collect();
                    if tx.send((b, results)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let _stop = StopOnPanic(window);
        // Batches that came early, each at its number modulo the window (only batches within
        // the window are ever worked on, so no two share a place).
        let mut pending: Vec<Option<Vec<R>>> = (0..window.ahead).map(|_| None).collect();
        let mut due = 0;
        for (b, results) in rx {
            pending[b % window.ahead] = Some(results);
            while let Some(results) = pending[due % window.ahead].take() {
                for r in results {
                    if !emit(r) {
                        window.stop();
                        return;
                    }
                }
                due += 1;
                window.advance();
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
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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

    #[test]
    fn workers_never_start_an_item_past_the_window() {
        // Item 0 is held until every other worker waits for room: with the bound, they each
        // claim a batch past the window and wait; without it, they would run on to the end.
        // Either way item 0 is then let go, and no item past the window may have started.
        let (batch, ahead, workers) = (3, 4, 3);
        let items: Vec<usize> = (0..100).collect();
        let window = Window::new(batch, ahead);
        let emitted = AtomicUsize::new(0);
        let (past, held) = (AtomicBool::new(false), AtomicBool::new(false));
        let mut seen = Vec::new();
        run(
            &items,
            workers,
            &window,
            || (),
            |_, &i| {
                // Batches emitted in full, at least: the window's start cannot be later.
                let due = emitted.load(Ordering::SeqCst) / batch;
                if i >= (due + ahead) * batch {
                    past.store(true, Ordering::SeqCst);
                }
                if i == 0 {
                    while !past.load(Ordering::SeqCst) {
                        if window.lock().waiting == workers - 1 {
                            held.store(true, Ordering::SeqCst);
                            break;
                        }
                        std::thread::yield_now();
                    }
                }
                i
            },
            |r| {
                seen.push(r);
                emitted.fetch_add(1, Ordering::SeqCst);
                true
            },
        );
        assert!(
            !past.load(Ordering::SeqCst),
            "an item past the window started"
        );
        assert!(
            held.load(Ordering::SeqCst),
            "the other workers never waited"
        );
        assert_eq!(seen, items);
    }

    #[test]
    fn a_stop_or_a_panic_ends_workers_that_wait_for_room() {
        // 1,000 items in batches of 2, 2 batches ahead: the 3 workers soon wait for room
        let items: Vec<usize> = (0..1000).collect();
        let on_three_workers = |work: fn(usize) -> usize, emit: &mut dyn FnMut(usize) -> bool| {
            run(&items, 3, &Window::new(2, 2), || (), |_, &i| work(i), emit)
        };
        let mut count = 0;
        on_three_workers(|i| i, &mut |_| {
            count += 1;
            count < 3
        });
        assert_eq!(count, 3);
        let fails = |i: usize| {
            assert_ne!(i, 5, "5 fails");
            i
        };
        let panicked = std::panic::catch_unwind(|| on_three_workers(fails, &mut |_| true));
        assert!(panicked.is_err(), "a worker panics");
        // (emit may panic too: eprintln! does when standard error is closed)
        let panicked = std::panic::catch_unwind(|| on_three_workers(|i| i, &mut |i| fails(i) == i));
        assert!(panicked.is_err(), "emit panics");
    }
}
