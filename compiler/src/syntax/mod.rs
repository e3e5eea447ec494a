//! Source text to AST: tokens, the lexer, and the item-by-item parser; AST back to source
//! (the printer and the comment-keeping formatter).

pub mod format;
pub mod lexer;
pub mod parser;
pub mod print;
pub mod token;

pub use format::{comments, format, Comment};
pub use parser::{parse, parse_expr, Parsed};
pub use print::print_file;
