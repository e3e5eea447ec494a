//! Verifying a log: every line is a sealed, unchanged event (`chain::check_line`) and the
//! events follow each other (`seq` one more, `prev_hash` the previous `hash`). The first
//! break is classified — modified, deleted, inserted, reordered — and located. A final line
//! that was never finished (no newline at the end of the last file) is a torn write, reported
//! but not tampering. Pure: the caller reads the files and says where each line is.

use std::collections::BTreeMap;
use std::fmt;

use super::chain::{check_line, LineFault, Link, GENESIS};

/// Where a line is: its file and 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One line of a log, as read.
#[derive(Debug, Clone)]
pub struct LogLine {
    pub place: Place,
    pub text: String,
    /// The line ended with a newline (a writer's last, unfinished write does not).
    pub complete: bool,
}

/// What broke the chain first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tampering {
    /// The event at `place` is not what was sealed: its text or its hash was changed, or it
    /// was replaced by another event with a recomputed hash.
    Modified { place: Place, seq: Option<u64>, detail: String },
    /// Events `from..=to` are missing before `place`.
    Deleted { place: Place, from: u64, to: u64 },
    /// The event at `place` is not part of the chain: its `seq` was already used (at `first`).
    Inserted { place: Place, seq: u64, first: Place },
    /// The event at `place` (`seq`) comes before event `expected`, which is further on.
    Reordered { place: Place, seq: u64, expected: u64 },
}

impl fmt::Display for Tampering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tampering::Modified { place, seq: Some(seq), detail } => write!(f, "{place}: event {seq} was modified: {detail}"),
            Tampering::Modified { place, seq: None, detail } => write!(f, "{place}: event was modified: {detail}"),
            Tampering::Deleted { place, from, to } if from == to => write!(f, "{place}: event {from} was deleted before this line"),
            Tampering::Deleted { place, from, to } => write!(f, "{place}: events {from} to {to} were deleted before this line"),
            Tampering::Inserted { place, seq, first } => {
                write!(f, "{place}: event {seq} was inserted: seq {seq} is already at {first}")
            }
            Tampering::Reordered { place, seq, expected } => {
                write!(f, "{place}: events were reordered: event {seq} comes before event {expected}")
            }
        }
    }
}

/// The result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events verified in order before the first break (all of them if none).
    pub events: u64,
    /// The last verified event's `seq` and `hash`.
    pub head: Option<(u64, String)>,
    /// An unfinished final line, not counted as tampering.
    pub torn: Option<Place>,
    pub tampering: Option<Tampering>,
}

/// Verifies the lines of a log, in order (files in chain order, each file's lines in order).
pub fn verify(lines: &[LogLine]) -> Verification {
    // Each line on its own, on every core; then the links in order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(lines.len() / 1024 + 1);
    let chunk = lines.len().div_ceil(threads.max(1)).max(1);
    let mut links: Vec<Result<Link, LineFault>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                (part.len(), scope.spawn(move || part.iter().map(|l| check_line(&l.text).map(|(link, _)| link)).collect::<Vec<_>>()))
            })
            .collect();
        // A chunk that could not be checked counts as broken, line for line.
        let unchecked = |n: usize| vec![Err(LineFault::Malformed("could not be checked".to_owned())); n];
        handles.into_iter().flat_map(|(n, h)| h.join().unwrap_or_else(|_| unchecked(n))).collect()
    });
    let mut torn = None;
    if let (Some(last), Some(Err(_))) = (lines.last(), links.last()) {
        if !last.complete {
            torn = Some(last.place.clone());
            links.pop();
        }
    }
    // Where each seq first appears, to tell reordering from deletion and insertion.
    let mut first_at: BTreeMap<u64, usize> = BTreeMap::new();
    for (i, link) in links.iter().enumerate() {
        if let Ok(l) = link {
            first_at.entry(l.seq).or_insert(i);
        }
    }
    let mut result = Verification { events: 0, head: None, torn, tampering: None };
    let (mut expected, mut prev_hash) = (0u64, GENESIS.to_owned());
    for (i, link) in links.iter().enumerate() {
        let place = lines[i].place.clone();
        let link = match link {
            Ok(link) => link,
            Err(fault) => {
                let detail = match fault {
                    LineFault::Malformed(m) if !lines[i].complete => format!("unfinished line in the middle of the log ({m})"),
                    LineFault::Malformed(m) => format!("not a sealed event ({m})"),
                    LineFault::NotCanonical => "its text is not the form it was sealed in".to_owned(),
                    LineFault::HashMismatch => "its content does not match its hash".to_owned(),
                };
                result.tampering = Some(Tampering::Modified { place, seq: Some(expected), detail });
                return result;
            }
        };
        let tampering = if link.seq == expected && link.prev_hash == prev_hash {
            None
        } else if link.seq == expected {
            // Sealed on top of a different event: the previous one was replaced (or, for the
            // first event, the log does not start at the genesis).
            Some(match i.checked_sub(1) {
                Some(p) => Tampering::Modified {
                    place: lines[p].place.clone(),
                    seq: expected.checked_sub(1),
                    detail: "its hash is not the `prev_hash` of the next event".to_owned(),
                },
                None => Tampering::Modified { place, seq: Some(link.seq), detail: "the first event does not start the chain".to_owned() },
            })
        } else if link.seq > expected {
            match first_at.get(&expected) {
                Some(&later) if later > i => Some(Tampering::Reordered { place, seq: link.seq, expected }),
                _ => Some(Tampering::Deleted { place, from: expected, to: link.seq - 1 }),
            }
        } else {
            match first_at.get(&link.seq) {
                Some(&earlier) if earlier < i => Some(Tampering::Inserted { place, seq: link.seq, first: lines[earlier].place.clone() }),
                _ => Some(Tampering::Reordered { place, seq: link.seq, expected }),
            }
        };
        if tampering.is_some() {
            result.tampering = tampering;
            return result;
        }
        expected += 1;
        prev_hash.clone_from(&link.hash);
        result.events += 1;
        result.head = Some((link.seq, link.hash.clone()));
    }
    result
}
