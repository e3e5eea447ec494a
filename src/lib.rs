//! aisecops: a policy-as-code engine that governs AI agents at run time.
//!
//! This facade is what services embed: compile a policy set from source (or load a compiled
//! bundle) into an [`Engine`], then decide requests with [`Engine::decide`] or
//! [`Engine::decide_json`] from any number of threads.

pub mod audit;
mod engine;
pub mod metrics;

pub use aisecops_compiler as compiler;
pub use aisecops_compiler::{check_set, Checked, Code, Diagnostic, Level, SourceFile};
pub use aisecops_runtime as runtime;
pub use aisecops_runtime::eval::Verdict;
pub use aisecops_runtime::{Decision, Outcome, Phase, Request};
pub use engine::{CompileError, Engine, Options};
pub use metrics::Metrics;
