//! Runtime metrics in Prometheus text exposition (prometheus-client):
//! `aisecops_runtime_decision_total{decision,phase,tenant,rule}` counts decisions and
//! `aisecops_runtime_evaluation_latency_seconds` is a histogram of how long each took. The
//! caller measures the latency (the engine has no clock); [`crate::audit::Auditor`] does it
//! for every decision it records.
//!
//! The tenant label comes from the request, so a caller could otherwise grow the number of
//! series (and the memory they hold) without bound. The first [`DEFAULT_TENANT_LIMIT`] distinct
//! tenants (or the limit given to [`Metrics::with_tenant_limit`]; 0 puts every tenant there)
//! get series of their own; decisions for any later tenant, and for a tenant longer than
//! [`MAX_TENANT_BYTES`], are counted under the tenant [`OTHER_TENANTS`].

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError, RwLock};
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::runtime::decision::Text;
use crate::{Decision, Outcome};

#[derive(Debug, Clone, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    decision: &'static str,
    phase: &'static str,
    /// Shared with the decision (no copy per record); `None` is written as the empty value.
    tenant: Option<Text>,
    rule: Option<Text>,
}

/// The family's map hashes with SipHash. The labels that come from the policy (outcome,
/// phase, rule) go to it as one word, an Fx hash of them, so a record does not SipHash the
/// rule's text; the tenant, which comes from the request, is hashed by SipHash itself, so
/// requests cannot choose tenants that collide. Equal labels give equal hashes.
impl Hash for DecisionLabels {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut fx = rustc_hash::FxHasher::default();
        self.decision.hash(&mut fx);
        self.phase.hash(&mut fx);
        self.rule.as_deref().hash(&mut fx);
        state.write_u64(fx.finish());
        self.tenant.as_deref().hash(state);
    }
}

/// What decides a decision's series: its labels, with the tenant as the request gave it (the
/// label may be [`OTHER_TENANTS`] instead, see [`Metrics::labels`]).
/// `T` is `&Text` while looking up (no reference counts touched) and `Text` when kept.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SeriesKey<T> {
    decision: &'static str,
    phase: &'static str,
    tenant: Option<T>,
    rule: Option<T>,
}

impl SeriesKey<Text> {
    /// Whether a decision with `key` goes to this series.
    fn same(&self, key: &SeriesKey<&Text>) -> bool {
        let text = |a: &Option<Text>, b: &Option<&Text>| a.as_deref() == b.map(|t| &**t);
        self.decision == key.decision && self.phase == key.phase && text(&self.rule, &key.rule) && text(&self.tenant, &key.tenant)
    }
}

impl<'d> SeriesKey<&'d Text> {
    fn owned(&self) -> SeriesKey<Text> {
        SeriesKey { decision: self.decision, phase: self.phase, tenant: self.tenant.cloned(), rule: self.rule.cloned() }
    }

    fn of(decision: &'d Decision) -> SeriesKey<&'d Text> {
        SeriesKey {
            decision: match decision.outcome {
                Outcome::Allow => "allow",
                Outcome::Sanitize => "sanitize",
                Outcome::RequireApproval => "require_approval",
                Outcome::Block => "block",
            },
            phase: decision.phase.map_or("none", |p| p.as_str()),
            // An empty text and none are one series (both are written empty).
            tenant: decision.tenant.as_ref().filter(|t| !t.is_empty()),
            // Empty for defaults and gates (their reason is in the audit event).
            rule: decision.rule.as_ref().filter(|r| !r.is_empty()),
        }
    }
}

/// The counters of the last few series one caller recorded into (see
/// [`Metrics::record_recent`]). A tenant's label never changes once given (the set of
/// tenants with series of their own only grows, and a full set stays full), so a kept
/// counter stays the right one. Handed another [`Metrics`], it forgets what it kept.
#[derive(Default)]
pub struct RecentSeries {
    /// The [`Metrics::id`] the counters belong to.
    owner: u64,
    entries: Vec<(SeriesKey<Text>, Counter)>,
}

/// The next [`Metrics::id`] (0 is no metrics: a new `RecentSeries`).
static NEXT_METRICS: AtomicU64 = AtomicU64::new(1);

impl RecentSeries {
    /// How many series are kept (the oldest goes first).
    const CAPACITY: usize = 16;
}

/// How many distinct tenants get series of their own unless the caller says otherwise.
pub const DEFAULT_TENANT_LIMIT: usize = 1_000;

/// The tenant label of decisions for tenants past the limit (and for tenants too long to be a
/// label, see [`MAX_TENANT_BYTES`]).
pub const OTHER_TENANTS: &str = "(other tenants)";

/// Tenants longer than this are counted under [`OTHER_TENANTS`], so the tenants kept hold at
/// most `limit` × 256 bytes.
pub const MAX_TENANT_BYTES: usize = 256;

static OTHER: LazyLock<Text> = LazyLock::new(|| Text::from(OTHER_TENANTS));

/// Decision counts and evaluation latency; shareable across threads.
pub struct Metrics {
    registry: Mutex<Registry>,
    decisions: Family<DecisionLabels, Counter>,
    latency: Histogram,
    /// The tenants that have series of their own (SipHash: requests choose them).
    tenants: RwLock<HashSet<Text>>,
    tenant_limit: usize,
    /// Distinct for every `Metrics` made (see [`RecentSeries`]).
    id: u64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Metrics with series for up to [`DEFAULT_TENANT_LIMIT`] tenants.
    pub fn new() -> Metrics {
        Metrics::with_tenant_limit(DEFAULT_TENANT_LIMIT)
    }

    /// Metrics with series for up to `limit` distinct tenants; later tenants are counted
    /// under [`OTHER_TENANTS`].
    pub fn with_tenant_limit(limit: usize) -> Metrics {
        let mut registry = Registry::default();
        let decisions = Family::<DecisionLabels, Counter>::default();
        // 250 ns to about 4 s, doubling.
        let latency = Histogram::new(exponential_buckets(2.5e-7, 2.0, 24));
        registry.register("aisecops_runtime_decision", "Decisions by outcome, phase, tenant and deciding rule", decisions.clone());
        registry.register("aisecops_runtime_evaluation_latency_seconds", "Time to decide one request", latency.clone());
        let id = NEXT_METRICS.fetch_add(1, Ordering::Relaxed);
        Metrics { registry: Mutex::new(registry), decisions, latency, tenants: RwLock::new(HashSet::new()), tenant_limit: limit, id }
    }

    /// Counts `decision`, which took `latency`.
    pub fn record(&self, decision: &Decision, latency: Duration) {
        let key = SeriesKey::of(decision).owned();
        self.decisions.get_or_create(&self.labels(key)).inc();
        self.latency.observe(latency.as_secs_f64());
    }

    /// [`Metrics::record`] for a caller that records many decisions: the counters of the
    /// series it recorded recently are kept in `recent`, so a decision like one of theirs
    /// is counted without looking its series up in the family.
    pub fn record_recent(&self, recent: &mut RecentSeries, decision: &Decision, latency: Duration) {
        if recent.owner != self.id {
            recent.entries.clear();
            recent.owner = self.id;
        }
        let key = SeriesKey::of(decision);
        match recent.entries.iter().find(|(k, _)| k.same(&key)) {
            Some((_, counter)) => {
                counter.inc();
            }
            None => {
                let key = key.owned();
                let counter = self.decisions.get_or_create(&self.labels(key.clone())).clone();
                counter.inc();
                if recent.entries.len() == RecentSeries::CAPACITY {
                    recent.entries.remove(0);
                }
                recent.entries.push((key, counter));
            }
        }
        self.latency.observe(latency.as_secs_f64());
    }

    /// The labels of the series a decision with `key` is counted in.
    fn labels(&self, key: SeriesKey<Text>) -> DecisionLabels {
        DecisionLabels { decision: key.decision, phase: key.phase, tenant: key.tenant.map(|t| self.tenant_label(&t)), rule: key.rule }
    }

    /// The label of `tenant`: itself while it has, or there is room for, a series of its own.
    /// A tenant longer than [`MAX_TENANT_BYTES`], or written as [`OTHER_TENANTS`] itself, is
    /// never given one. The set only grows, so a full set is seen under the read lock; and it
    /// cannot be left half-changed, so a poisoned lock is used as it is.
    fn tenant_label(&self, tenant: &Text) -> Text {
        if tenant.len() > MAX_TENANT_BYTES || &**tenant == OTHER_TENANTS {
            return OTHER.clone();
        }
        {
            let set = self.tenants.read().unwrap_or_else(PoisonError::into_inner);
            if set.contains(tenant) {
                return tenant.clone();
            }
            if set.len() >= self.tenant_limit {
                return OTHER.clone();
            }
        }
        let mut set = self.tenants.write().unwrap_or_else(PoisonError::into_inner);
        if set.contains(tenant) || (set.len() < self.tenant_limit && set.insert(tenant.clone())) {
            return tenant.clone();
        }
        OTHER.clone()
    }

    /// The Prometheus text exposition of every metric. The counters' series are sorted (the
    /// family keeps them in a hash map), so equal counts give equal text.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        if let Ok(registry) = self.registry.lock() {
            // Writing to a `String` cannot fail.
            let _ = encode(&mut text, &registry);
        }
        let mut out = String::with_capacity(text.len());
        let mut series: Vec<&str> = Vec::new();
        for line in text.lines() {
            if line.starts_with("aisecops_runtime_decision_total{") {
                series.push(line);
                continue;
            }
            series.sort_unstable();
            for s in series.drain(..) {
                out.push_str(s);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
        series.sort_unstable();
        for s in series {
            out.push_str(s);
            out.push('\n');
        }
        out
    }
}
