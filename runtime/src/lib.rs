//! The runtime of aisecops: the compiled policy format (decision DAG), bundles, request
//! decoding, the interpreter (reference semantics) and decisions with explanations. It does
//! not depend on the compiler: a service embeds a bundle with the runtime alone.

pub mod args;
pub mod audit;
pub mod bundle;
pub mod dag;
pub mod decision;
pub mod eval;
pub mod frame;
pub mod intern;
pub mod ir;
#[cfg(feature = "jit")]
pub mod jit;
pub mod json_strict;
mod json_text;
pub mod natives;
pub mod policy;
pub mod request;
pub mod schema;
pub mod value;

pub use decision::{Decision, Outcome};
pub use eval::Compiled;
pub use policy::{Phase, Policy};
pub use request::{Malformed, Request};
