//! aisecops: a policy-as-code engine that governs AI agents at run time.
//!
//! This facade is what services embed. For now it exposes the language front end: check a
//! policy set from sources and get its typed program and diagnostics.

pub use aisecops_compiler as compiler;
pub use aisecops_compiler::{check_set, Checked, Code, Diagnostic, Level, SourceFile};
