//! Source text to AST: tokens, the lexer, and the item-by-item parser.

pub mod lexer;
pub mod parser;
pub mod print;
pub mod token;

pub use parser::{parse, parse_expr, Parsed};
pub use print::print_file;
