//! Subcommands of the CLI and the renderers of diagnostics (people, JSON, SARIF, GitHub).

pub mod audit;
pub mod check;
pub mod compile;
pub mod eval;
mod files;
pub mod fmt;
mod policy;
mod render;
pub mod replay;
pub mod test;
