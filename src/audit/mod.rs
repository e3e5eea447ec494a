//! The audit trail of a running engine: the writer that appends chained events to JSONL files
//! with a durability policy and rotation, the audited engine that records every decision, and
//! reading, replaying and summarising logs. Events themselves (their fields, the hash chain,
//! verification) are built by the runtime (`aisecops_runtime::audit`).

mod auditor;
mod log;
mod replay;
mod stats;
mod writer;

pub use aisecops_runtime::audit::{verify, LogLine, Place, Tampering, Verification};
pub use auditor::{Auditor, Clock, FixedClock, SystemClock};
pub use log::{log_files, read_lines};
pub use replay::{replay, Change, Changed, Drift, Outcome, RuleDrift};
pub use stats::{stats, Breakdown, Counts, Stats};
pub use writer::{segment_path, segments, AuditWriter, Flush, Recovery, WriterOptions};
