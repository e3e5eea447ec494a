//! Subcommands of the CLI and the renderers of diagnostics (people, JSON, SARIF, GitHub).

pub mod check;
mod files;
mod render;
