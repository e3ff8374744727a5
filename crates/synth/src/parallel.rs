//! The little parallelism synth uses, on scoped threads: independent stacks, and the check,
//! serialization and manifest entries of a stack. The calling thread always works too, and
//! nobody waits for a thread to start: on a busy machine a late helper only means the caller
//! does more of the work. Results come back in index order, so the output never depends on
//! how the work was scheduled.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The cores this process may run on (`taskset` narrows it); 1 when that cannot be read.
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `(0..count).map(job)` on up to `threads` threads, the caller's included. Each thread takes
/// the next index when it is free, so a slow job does not hold back the others.
pub fn map<T: Send>(count: usize, threads: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.min(count);
    if threads <= 1 {
        return (0..count).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                break done;
            }
            done.push((index, job(index)));
        }
    };
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            done.extend(joined(helper));
        }
        done
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// A helper's result; a helper's panic is a bug and goes on as the caller's own.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_index_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            // Early indices are the slowest, so threads finish out of order.
            let squares = map(7, threads, |i| {
                std::thread::sleep(std::time::Duration::from_millis((7 - i as u64) * 2));
                i * i
            });
            assert_eq!(squares, vec![0, 1, 4, 9, 16, 25, 36], "{threads} threads");
        }
    }

    #[test]
    fn every_job_runs_once() {
        let runs = AtomicUsize::new(0);
        let out = map(100, 4, |i| {
            runs.fetch_add(1, Ordering::Relaxed);
            i
        });
        assert_eq!(runs.load(Ordering::Relaxed), 100);
        assert_eq!(out, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn nothing_to_do_spawns_nothing() {
        assert_eq!(map(0, 4, |i| i), Vec::<usize>::new());
    }
}
