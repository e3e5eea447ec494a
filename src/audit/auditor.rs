//! The audited engine: decides each request, counts it in the metrics and appends its audit
//! event, stamped by the caller's clock, to the log. A decision is returned only after its
//! event is appended; [`Auditor::acknowledged`] tells which events are safe on disk.

use std::io;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::writer::AuditWriter;
use crate::metrics::{Metrics, RecentSeries};
use crate::{Decision, Engine};
use aisecops_runtime::eval::Scanned;

/// Where audit timestamps come from (milliseconds since the epoch, UTC). The engine itself
/// never reads a clock.
pub trait Clock {
    fn now_ms(&self) -> i64;
}

/// The system's wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
    }
}

/// A clock stopped at one instant (reproducible logs and tests).
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_ms(&self) -> i64 {
        self.0
    }
}

/// An engine with its audit log and metrics.
pub struct Auditor<'e> {
    engine: &'e Engine,
    writer: Option<AuditWriter>,
    metrics: Option<&'e Metrics>,
    /// The counters of the series recorded recently (one look-up per new series).
    recent: RecentSeries,
    clock: Box<dyn Clock + 'e>,
}

impl<'e> Auditor<'e> {
    /// Decisions of `engine`, logged by `writer` (if any) and counted in `metrics` (if any).
    pub fn new(engine: &'e Engine, writer: Option<AuditWriter>, metrics: Option<&'e Metrics>, clock: Box<dyn Clock + 'e>) -> Self {
        Auditor { engine, writer, metrics, recent: RecentSeries::default(), clock }
    }

    /// Decides a request given as JSON text (as [`Engine::decide_text`]), records it, and
    /// returns it with its event's `seq` (when there is a log).
    pub fn decide_text(&mut self, text: &str) -> io::Result<(Decision, Option<u64>)> {
        let (engine, metrics, clock, recent) = (self.engine, self.metrics, &self.clock, &mut self.recent);
        // Decided and counted; the latency includes reading the request's envelope, which
        // with a log is the writer's match of the request against its plans.
        let start = Instant::now();
        let mut decide = |request: &Scanned<'_>| {
            let decision = engine.decide_scanned(request);
            if let Some(metrics) = metrics {
                metrics.record_recent(recent, &decision, start.elapsed());
            }
            decision
        };
        match &mut self.writer {
            Some(writer) => {
                let stamped = |request: &Scanned<'_>| (decide(request), clock.now_ms());
                writer.decide_and_append(engine.policy(), text, stamped).map(|(d, seq)| (d, Some(seq)))
            }
            None => Ok((decide(&Scanned::new(text)), None)),
        }
    }

    /// Events with `seq` below this are acknowledged (all of them without a log).
    pub fn acknowledged(&self) -> u64 {
        self.writer.as_ref().map_or(u64::MAX, AuditWriter::acknowledged)
    }

    /// Flushes the log (everything appended becomes acknowledged).
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.as_mut().map_or(Ok(()), AuditWriter::flush)
    }

    /// Flushes and closes the log.
    pub fn close(self) -> io::Result<()> {
        self.writer.map_or(Ok(()), AuditWriter::close)
    }
}
