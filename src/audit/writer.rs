//! The audit log writer: seals each event into the chain and appends it as one line, with an
//! explicit durability policy (flush after every event, every N events or every T ms; fsync
//! optional) and size-based rotation that carries the chain into the next file.
//!
//! An event is *acknowledged* once its line has been handed to the operating system (and
//! synced, with `fsync`): it then survives the writing process being killed (and, with
//! `fsync`, the machine losing power). [`AuditWriter::acknowledged`] tells how many are. A
//! crash mid-write leaves at most one unfinished final line; reopening the log drops it (it was
//! never acknowledged) and the chain continues from the last complete event.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aisecops_runtime::audit::{check_line, ChainHead, EventLines};
use aisecops_runtime::decision::Decision;
use aisecops_runtime::eval::Scanned;
use aisecops_runtime::policy::Policy;
use serde_json::{Map, Value as Json};

/// When buffered events are handed to the operating system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    /// After every event: nothing acknowledged is ever only in memory.
    EveryEvent,
    /// After every N events.
    EveryEvents(u32),
    /// When an event is appended at least this long after the last flush.
    Every(Duration),
}

impl std::str::FromStr for Flush {
    type Err = String;

    /// `event`, `<N>` events, or `<T>ms`.
    fn from_str(s: &str) -> Result<Flush, String> {
        if s == "event" {
            return Ok(Flush::EveryEvent);
        }
        if let Some(ms) = s.strip_suffix("ms") {
            return ms.parse().map(|ms| Flush::Every(Duration::from_millis(ms))).map_err(|_| format!("`{s}` is not a number of ms"));
        }
        match s.parse::<u32>() {
            Ok(0) | Err(_) => Err(format!("expected `event`, a number of events or a time such as `100ms`, not `{s}`")),
            Ok(n) => Ok(Flush::EveryEvents(n)),
        }
    }
}

/// How the writer keeps events safe and how big its files grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterOptions {
    pub flush: Flush,
    /// `fsync` (data) after each flush.
    pub fsync: bool,
    /// Start a new file when the current one would grow past this many bytes.
    pub rotate_bytes: Option<u64>,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions { flush: Flush::EveryEvent, fsync: false, rotate_bytes: None }
    }
}

/// What opening an existing log found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recovery {
    /// Events already in the log (the chain continues after them).
    pub events: u64,
    /// Bytes of an unfinished final line that were dropped.
    pub torn_bytes: u64,
}

/// Appends sealed events to a log file (`audit.jsonl`), rotating full files to
/// `audit.000001.jsonl`, `audit.000002.jsonl`, ….
pub struct AuditWriter {
    sink: Sink,
    head: ChainHead,
    lines: EventLines,
    /// An append failed after its event was sealed: the chain in memory is past what the
    /// files hold, so the writer takes nothing more (see [`AuditWriter::failed`]).
    failed: bool,
}

/// The files the lines go to, with the flush policy's state (apart from the chain and the
/// line buffers, so a line borrowed from those can be appended).
struct Sink {
    path: PathBuf,
    out: BufWriter<File>,
    options: WriterOptions,
    /// Bytes in the current file, written or buffered.
    bytes: u64,
    unflushed: u32,
    last_flush: Instant,
    acknowledged: u64,
    next_segment: u32,
}

impl AuditWriter {
    /// Opens the log at `path`, creating it or continuing its chain.
    pub fn open(path: &Path, options: WriterOptions) -> io::Result<(AuditWriter, Recovery)> {
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
        let (mut head, good_len, torn_bytes) = last_event(&mut file)?;
        if torn_bytes > 0 {
            file.set_len(good_len)?;
            file.sync_data()?;
        }
        file.seek(SeekFrom::End(0))?;
        let segments = segments(path)?;
        if good_len == 0 {
            // A fresh current file: the chain continues from the last rotated one, if any.
            if let Some(last) = segments.last() {
                head = last_event(&mut File::open(last)?)?.0;
            }
        }
        let next_segment = segments.len() as u32 + 1;
        let recovery = Recovery { events: head.next_seq, torn_bytes };
        let acknowledged = head.next_seq;
        let sink = Sink {
            path: path.to_owned(),
            out: BufWriter::with_capacity(64 * 1024, file),
            options,
            bytes: good_len,
            unflushed: 0,
            last_flush: Instant::now(),
            acknowledged,
            next_segment,
        };
        Ok((AuditWriter { sink, head, lines: EventLines::new(), failed: false }, recovery))
    }

    /// Whether an append failed. The event it sealed may be missing, torn or buffered, so
    /// the writer then refuses to append, flush or acknowledge anything more (every call is an
    /// error and [`AuditWriter::acknowledged`] stays where it was): reopen the log, which
    /// continues the chain from its last complete event.
    pub fn failed(&self) -> bool {
        self.failed
    }

    fn refuse(&self) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("an earlier append to the audit log failed; reopen the log to continue it"));
        }
        Ok(())
    }

    /// Marks the writer failed when `result` is an error.
    fn checked<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        self.failed |= result.is_err();
        result
    }

    /// Seals `event` into the chain and appends it; returns its `seq`. Whether it is
    /// acknowledged yet depends on the flush policy ([`AuditWriter::acknowledged`]).
    pub fn append(&mut self, event: Map<String, Json>) -> io::Result<u64> {
        self.refuse()?;
        let line = self.head.seal(event);
        let appended = self.sink.append_line(&line, self.head.next_seq);
        self.checked(appended)
    }

    /// Seals and appends the event of `decision`, made on `request_text` at `timestamp_ms`
    /// under `policy` (the audited engine's hot path: the line is written in one pass into
    /// reused buffers, see `aisecops_runtime::audit::EventLines`); returns its `seq`.
    pub fn append_decision(&mut self, policy: &Policy, request_text: &str, decision: &Decision, timestamp_ms: i64) -> io::Result<u64> {
        self.refuse()?;
        let line = self.lines.seal(&mut self.head, policy, request_text, decision, timestamp_ms);
        let appended = self.sink.append_line(line, self.head.next_seq);
        self.checked(appended)
    }

    /// Decides the request `text` with `decide` (handed the request with its envelope already
    /// read when the writer has seen its structure, see `EventLines::decide_and_seal`), then
    /// seals and appends the event of the decision at the time `decide` gives; returns the
    /// decision and the event's `seq`.
    pub fn decide_and_append(
        &mut self,
        policy: &Policy,
        text: &str,
        decide: impl FnOnce(&Scanned<'_>) -> (Decision, i64),
    ) -> io::Result<(Decision, u64)> {
        self.refuse()?;
        let (decision, line) = self.lines.decide_and_seal(&mut self.head, policy, text, decide);
        let appended = self.sink.append_line(line, self.head.next_seq);
        let seq = self.checked(appended)?;
        Ok((decision, seq))
    }

    /// Hands buffered events to the operating system (and syncs them, with `fsync`): every
    /// appended event is acknowledged after this.
    pub fn flush(&mut self) -> io::Result<()> {
        self.refuse()?;
        let flushed = self.sink.flush(self.head.next_seq);
        self.checked(flushed)
    }

    /// How many events of the log are acknowledged: those with `seq` below this.
    pub fn acknowledged(&self) -> u64 {
        self.sink.acknowledged
    }

    /// Where the chain stands (the next `seq`, the last `hash`).
    pub fn head(&self) -> &ChainHead {
        &self.head
    }

    /// Flushes and closes the log.
    pub fn close(mut self) -> io::Result<()> {
        self.flush()?;
        self.sink.out.get_ref().sync_data()
    }
}

impl Sink {
    /// Appends the sealed line of the event the head just moved past (`next_seq` is the
    /// head's); returns its `seq`.
    fn append_line(&mut self, line: &str, next_seq: u64) -> io::Result<u64> {
        let seq = next_seq - 1;
        let size = line.len() as u64 + 1;
        if self.options.rotate_bytes.is_some_and(|limit| self.bytes > 0 && self.bytes + size > limit) {
            // The line is already sealed: everything before it is flushed with it in the old file.
            self.rotate(seq)?;
        }
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.bytes += size;
        self.unflushed += 1;
        let due = match self.options.flush {
            Flush::EveryEvent => true,
            Flush::EveryEvents(n) => self.unflushed >= n,
            Flush::Every(t) => self.last_flush.elapsed() >= t,
        };
        if due {
            self.flush(next_seq)?;
        }
        Ok(seq)
    }

    /// Flushes (and syncs, with `fsync`): the events below `next_seq` are acknowledged.
    fn flush(&mut self, next_seq: u64) -> io::Result<()> {
        self.out.flush()?;
        if self.options.fsync {
            self.out.get_ref().sync_data()?;
        }
        self.unflushed = 0;
        self.last_flush = Instant::now();
        self.acknowledged = next_seq;
        Ok(())
    }

    /// Moves the full current file to the next numbered name and starts an empty one. The
    /// chain needs nothing: the next event's `prev_hash` is the last event of the old file.
    /// `next_seq` is the first event not yet appended (all before it are acknowledged).
    fn rotate(&mut self, next_seq: u64) -> io::Result<()> {
        self.flush(next_seq)?;
        self.out.get_ref().sync_data()?;
        let target = segment_path(&self.path, self.next_segment);
        std::fs::rename(&self.path, &target)?;
        let file = OpenOptions::new().write(true).create_new(true).open(&self.path)?;
        self.out = BufWriter::with_capacity(64 * 1024, file);
        self.bytes = 0;
        self.next_segment += 1;
        Ok(())
    }
}

impl Drop for AuditWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// The name of rotated file number `n` of the log at `path`: `audit.jsonl` → `audit.000001.jsonl`.
pub fn segment_path(path: &Path, n: u32) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!("{stem}.{n:06}{ext}"))
}

/// The rotated files of the log at `path`, oldest first.
pub fn segments(path: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for n in 1.. {
        let p = segment_path(path, n);
        if !p.exists() {
            break;
        }
        found.push(p);
    }
    Ok(found)
}

/// The chain head after the last complete event of `file`, the length of its complete lines
/// and the length of an unfinished last line.
fn last_event(file: &mut File) -> io::Result<(ChainHead, u64, u64)> {
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::new(&mut *file);
    let (mut head, mut good, mut torn) = (ChainHead::genesis(), 0u64, 0u64);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line)? as u64;
        if n == 0 {
            break;
        }
        let Some(text) = line.strip_suffix('\n') else {
            // Only the last line can lack its newline: the write that was cut short.
            torn = n;
            break;
        };
        match check_line(text) {
            Ok((link, _)) => {
                head = ChainHead { next_seq: link.seq + 1, last_hash: link.hash };
                good += n;
            }
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the log has a damaged event; run `aisecops audit verify` on it before writing more",
                ))
            }
        }
    }
    Ok((head, good, torn))
}
