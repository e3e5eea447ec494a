//! Parsing a file: lex, cut the token stream into top-level items, parse each item with the
//! LALRPOP grammar. An item that fails to parse becomes `Item::Error` with one diagnostic, and
//! parsing goes on with the next item, so every broken item of a file is reported.

use lalrpop_util::ParseError;

use super::lexer::{lex, Token};
use super::token::Tok;
use crate::ast::{Expr, File, Item};
use crate::diagnostic::{Code, Diagnostic};
use crate::grammar::{ExprParser, ItemParser};
use crate::span::Span;

/// A parsed file and the diagnostics of lexing and parsing it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub file: File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one `.agp` source. Never fails: problems become diagnostics.
pub fn parse(source: &str) -> Parsed {
    let lexed = lex(source);
    let mut diagnostics = lexed.diagnostics;
    let mut tokens = lexed.tokens;
    let parser = ItemParser::new();
    let ranges = split_items(&tokens);
    let mut items = Vec::with_capacity(ranges.len());
    for range in ranges {
        let chunk = &mut tokens[range];
        let whole = chunk_span(chunk);
        if let Some(diagnostic) = too_complex(chunk) {
            diagnostics.push(diagnostic);
            items.push(Item::Error(whole));
            continue;
        }
        // Each token is parsed once, so it is moved into the parser rather than cloned.
        let stream = chunk.iter_mut().map(|t| Ok::<_, ()>((t.span.start, std::mem::replace(&mut t.tok, Tok::Comma), t.span.end)));
        match parser.parse(stream) {
            Ok(item) => items.push(item),
            Err(err) => {
                diagnostics.push(syntax_error(err, whole, source.trim_end().len()));
                items.push(Item::Error(whole));
            }
        }
    }
    Parsed { file: File { items }, diagnostics }
}

/// Parses a single expression (used by tests and tools).
pub fn parse_expr(source: &str) -> Result<Expr, Vec<Diagnostic>> {
    let lexed = lex(source);
    if !lexed.diagnostics.is_empty() {
        return Err(lexed.diagnostics);
    }
    let stream = lexed.tokens.iter().map(|t| Ok::<_, ()>((t.span.start, t.tok.clone(), t.span.end)));
    ExprParser::new().parse(stream).map_err(|e| vec![syntax_error(e, Span::new(0, source.len()), source.len())])
}

/// Deepest bracket nesting allowed in one item.
const MAX_NESTING: usize = 64;
/// Longest run of prefix operators (`not`, `-`) allowed.
const MAX_PREFIX_RUN: usize = 64;
/// Most binary operators allowed in one item.
const MAX_OPERATORS: usize = 256;

/// Rejects items whose syntax tree would be too deep to check safely, before building it.
fn too_complex(chunk: &[Token]) -> Option<Diagnostic> {
    let (mut depth, mut prefix_run, mut operators) = (0usize, 0usize, 0usize);
    for token in chunk {
        let tok = &token.tok;
        match tok {
            Tok::LBrace | Tok::LParen | Tok::LBracket => depth += 1,
            Tok::RBrace | Tok::RParen | Tok::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        let prefix = matches!(tok, Tok::Not | Tok::Minus);
        prefix_run = if prefix { prefix_run + 1 } else { 0 };
        if matches!(
            tok,
            Tok::And
                | Tok::Or
                | Tok::EqEq
                | Tok::Ne
                | Tok::Lt
                | Tok::Le
                | Tok::Gt
                | Tok::Ge
                | Tok::In
                | Tok::Contains
                | Tok::Plus
                | Tok::Minus
                | Tok::Star
        ) {
            operators += 1;
        }
        let (what, limit) = if depth > MAX_NESTING {
            ("brackets nested", MAX_NESTING)
        } else if prefix_run > MAX_PREFIX_RUN {
            ("prefix operators in a row", MAX_PREFIX_RUN)
        } else if operators > MAX_OPERATORS {
            ("operators in one declaration", MAX_OPERATORS)
        } else {
            continue;
        };
        return Some(
            Diagnostic::error(Code::TooComplex, token.span, format!("more than {limit} {what}"))
                .with_secondary(crate::span::FileId::UNSET, chunk_span(chunk).with_len(1), "in the item that starts here")
                .with_help("split the condition into constants or several rules; use `in` with a set instead of long `or` chains"),
        );
    }
    None
}

fn chunk_span(chunk: &[Token]) -> Span {
    match (chunk.first(), chunk.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    }
}

/// The ranges of tokens of each item: cuts before each token that starts an item. `tenant "x"` starts an item only outside
/// brackets, since test blocks use the same words.
pub fn split_items(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut depth: i32 = 0;
    for (i, token) in tokens.iter().enumerate() {
        let tenant_item = token.tok == Tok::Tenant && depth <= 0 && matches!(tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Str(_)));
        if i > start && (token.tok.starts_item() || tenant_item) {
            chunks.push(start..i);
            start = i;
            depth = 0;
        }
        match token.tok {
            Tok::LBrace | Tok::LParen | Tok::LBracket => depth += 1,
            Tok::RBrace | Tok::RParen | Tok::RBracket => depth -= 1,
            _ => {}
        }
    }
    if start < tokens.len() {
        chunks.push(start..tokens.len());
    }
    chunks
}

fn syntax_error(err: ParseError<usize, Tok, ()>, whole: Span, source_len: usize) -> Diagnostic {
    match err {
        ParseError::UnrecognizedToken { token: (l, tok, r), expected } => {
            Diagnostic::error(Code::UnexpectedToken, Span::new(l, r), format!("unexpected {tok}"))
                .with_label(expected_text(&expected))
                .with_help(help_for(&tok, &expected))
        }
        ParseError::UnrecognizedEof { location, expected } => {
            let at = location.max(whole.end);
            let span = Span::new(at.min(source_len), at.min(source_len));
            let ends_item = whole.end < source_len;
            let message = if ends_item { "item ends too early" } else { "unexpected end of file" };
            Diagnostic::error(Code::UnexpectedEof, span, message).with_label(expected_text(&expected)).with_secondary(
                crate::span::FileId::UNSET,
                whole.with_len(1),
                "in the item that starts here",
            )
        }
        ParseError::ExtraToken { token: (l, tok, r) } => {
            Diagnostic::error(Code::UnexpectedToken, Span::new(l, r), format!("unexpected {tok} after the end of the item"))
        }
        ParseError::InvalidToken { location } => {
            Diagnostic::error(Code::UnexpectedCharacter, Span::new(location, location + 1), "invalid token")
        }
        ParseError::User { .. } => Diagnostic::error(Code::UnexpectedToken, whole, "invalid item"),
    }
}

/// "expected one of `a`, `b` or `c`", from LALRPOP's list of terminal names.
fn expected_text(expected: &[String]) -> String {
    let mut names: Vec<String> = expected.iter().map(|e| terminal_name(e)).collect();
    names.sort();
    names.dedup();
    let starts_expression = ["IdentTok", "IntTok", "StrTok"].iter().all(|t| expected.iter().any(|e| e == t));
    if starts_expression && names.len() > 8 {
        return "expected an expression".to_owned();
    }
    match names.len() {
        0 => "not expected here".to_owned(),
        1 => format!("expected {}", names[0]),
        n if n <= 8 => {
            let (last, rest) = names.split_last().map(|(l, r)| (l.clone(), r.join(", "))).unwrap_or_default();
            format!("expected one of {rest} or {last}")
        }
        _ => "not expected here".to_owned(),
    }
}

fn terminal_name(raw: &str) -> String {
    match raw {
        "IdentTok" => "a name".to_owned(),
        "StrTok" => "a string".to_owned(),
        "RegexTok" => "a regex".to_owned(),
        "IntTok" => "an integer".to_owned(),
        "DecimalTok" => "a decimal".to_owned(),
        "DurationTok" => "a duration".to_owned(),
        quoted => format!("`{}`", quoted.trim_matches('"')),
    }
}

fn help_for(tok: &Tok, expected: &[String]) -> String {
    let wants_name = expected.iter().any(|e| e == "IdentTok");
    match tok.keyword_text() {
        Some(word) if wants_name => format!("`{word}` is a keyword; choose another name"),
        _ => "see docs/language.md for the form of each declaration".to_owned(),
    }
}
