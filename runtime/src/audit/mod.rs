//! Audit events: one JSON object per decision point, written one per line, chained by SHA-256
//! over RFC 8785 canonical JSON so that a changed, deleted, inserted or reordered event is
//! found. The runtime builds, seals and verifies events; the clock that stamps them and the
//! files they go to belong to the caller (the `aisecops` crate has the writer).

mod canonical;
mod chain;
mod event;
mod line;
mod quoted;
mod request_text;
mod shape;
mod verify;

pub use canonical::{canonical, canonical_normalised, normalise};
pub use chain::{check_line, sha256, ChainHead, LineFault, Link, GENESIS};
pub use event::{action, audit_event, event_name, mask, mask_decision, MASK, SCHEMA_VERSION};
pub use line::EventLines;
pub use request_text::canonical_request;
pub use verify::{verify, LogLine, Place, Tampering, Verification};
