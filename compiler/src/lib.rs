//! The front end of the `.agp` policy language: lexing, parsing, name resolution, type
//! checking and lints, producing a checked program and diagnostics. No I/O: sources come in
//! as strings, diagnostics go out as values.

pub mod ast;
pub mod check;
pub mod decimal;
pub mod diagnostic;
pub mod lower;
pub mod span;
pub mod stdlib;
pub mod syntax;

#[allow(clippy::all, unused_parens, unused_qualifications, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod grammar {
    //! The LALRPOP-generated parser (see `grammar.lalrpop`).
    include!(concat!(env!("OUT_DIR"), "/grammar.rs"));
}

pub use check::{check_set, Checked, SourceFile};
pub use diagnostic::{Code, Diagnostic, Label, Level};
pub use span::{FileId, Span};
