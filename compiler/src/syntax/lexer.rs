//! The lexer: turns `.agp` source into tokens with byte spans (logos), decodes literals, and
//! demotes keywords used as field names (`s.tool`, `{ to: … }`) to identifiers, so the grammar
//! can keep its keywords reserved without forbidding natural field names.

use logos::Logos;

use super::token::Tok;
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Raw tokens as logos recognises them; literal values are decoded afterwards.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
#[logos(skip r"/\*([^*]|\*+[^*/])*\*+/")]
enum Raw {
    #[regex("[A-Za-z_][A-Za-z0-9_]*")]
    Word,
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    Str,
    #[regex(r#""([^"\\\n]|\\[^\n])*"#, allow_greedy = true)]
    UnterminatedStr,
    #[regex(r#"r"([^"\\\n]|\\[^\n])*""#)]
    Regex,
    #[regex(r#"r"([^"\\\n]|\\[^\n])*"#, allow_greedy = true)]
    UnterminatedRegex,
    #[regex("[0-9][0-9_]*")]
    Int,
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9_]*")]
    Decimal,
    #[regex("[0-9][0-9_]*(ms|s|m|h|d)")]
    Duration,
    #[regex(r"/\*([^*]|\*+[^*/])*", allow_greedy = true)]
    UnterminatedComment,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("==")]
    EqEq,
    #[token("!=")]
    Ne,
    #[token("=")]
    Assign,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token(".")]
    Dot,
    #[token("?")]
    Question,
    #[token("->")]
    Arrow,
    #[token("=>")]
    FatArrow,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
}

/// A token with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// The result of lexing one file: every token, and a diagnostic for every bad character or
/// malformed literal. Lexing never stops early.
#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lexes `source` completely.
pub fn lex(source: &str) -> Lexed {
    let mut out = Lexed::default();
    let mut lexer = Raw::lexer(source);
    while let Some(raw) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(range.start, range.end);
        let text = lexer.slice();
        let tok = match raw {
            Ok(raw) => decode(raw, text, span, &mut out.diagnostics),
            Err(()) => {
                out.diagnostics.push(unexpected_char(text, span));
                continue;
            }
        };
        if let Some(tok) = tok {
            out.tokens.push(Token { tok, span });
        }
    }
    demote_field_keywords(&mut out.tokens);
    out
}

fn unexpected_char(text: &str, span: Span) -> Diagnostic {
    let shown = text.chars().next().map(|c| c.escape_debug().to_string()).unwrap_or_default();
    Diagnostic::error(Code::UnexpectedCharacter, span, format!("unexpected character `{shown}`"))
        .with_help("policies are written in ASCII punctuation; remove the character or quote it in a string")
}

fn decode(raw: Raw, text: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<Tok> {
    Some(match raw {
        Raw::Word => Tok::keyword(text).unwrap_or_else(|| Tok::Ident(text.to_owned())),
        Raw::Str => Tok::Str(unescape(&text[1..text.len() - 1], span.start + 1, diags)),
        Raw::UnterminatedStr => {
            diags.push(
                Diagnostic::error(Code::UnterminatedString, span, "unterminated string literal")
                    .with_help("close the string with `\"` before the end of the line"),
            );
            Tok::Str(unescape(&text[1..], span.start + 1, diags))
        }
        Raw::Regex => Tok::Regex(text[2..text.len() - 1].to_owned()),
        Raw::UnterminatedRegex => {
            diags.push(
                Diagnostic::error(Code::UnterminatedString, span, "unterminated regex literal")
                    .with_help("close the regex with `\"` before the end of the line"),
            );
            Tok::Regex(text[2..].to_owned())
        }
        Raw::Int => {
            let digits: String = text.chars().filter(|c| *c != '_').collect();
            match digits.parse::<i64>() {
                Ok(v) => Tok::Int(v),
                Err(_) => {
                    diags.push(Diagnostic::error(
                        Code::NumberOutOfRange,
                        span,
                        format!("integer literal `{text}` does not fit in 64 bits"),
                    ));
                    Tok::Int(0)
                }
            }
        }
        Raw::Decimal => match Decimal::parse(text) {
            Ok(d) => Tok::Decimal(d),
            Err(msg) => {
                diags.push(Diagnostic::error(Code::InvalidDecimal, span, format!("invalid decimal literal `{text}`: {msg}")));
                Tok::Decimal(Decimal::ZERO)
            }
        },
        Raw::Duration => match parse_duration_ms(text) {
            Some(ms) => Tok::Duration(ms),
            None => {
                diags.push(Diagnostic::error(Code::NumberOutOfRange, span, format!("duration literal `{text}` is too large")));
                Tok::Duration(0)
            }
        },
        Raw::UnterminatedComment => {
            diags.push(
                Diagnostic::error(Code::UnterminatedString, span.with_len(2), "unterminated block comment")
                    .with_help("close the comment with `*/`"),
            );
            return None;
        }
        Raw::LBrace => Tok::LBrace,
        Raw::RBrace => Tok::RBrace,
        Raw::LParen => Tok::LParen,
        Raw::RParen => Tok::RParen,
        Raw::LBracket => Tok::LBracket,
        Raw::RBracket => Tok::RBracket,
        Raw::Lt => Tok::Lt,
        Raw::Le => Tok::Le,
        Raw::Gt => Tok::Gt,
        Raw::Ge => Tok::Ge,
        Raw::EqEq => Tok::EqEq,
        Raw::Ne => Tok::Ne,
        Raw::Assign => Tok::Assign,
        Raw::Comma => Tok::Comma,
        Raw::Colon => Tok::Colon,
        Raw::Dot => Tok::Dot,
        Raw::Question => Tok::Question,
        Raw::Arrow => Tok::Arrow,
        Raw::FatArrow => Tok::FatArrow,
        Raw::Plus => Tok::Plus,
        Raw::Minus => Tok::Minus,
        Raw::Star => Tok::Star,
    })
}

/// Milliseconds in a duration literal such as `30m` or `500ms`.
fn parse_duration_ms(text: &str) -> Option<i64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.chars().filter(|c| *c != '_').collect::<String>().parse().ok()?;
    let scale = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => 86_400_000,
    };
    n.checked_mul(scale)
}

fn unescape(body: &str, offset: usize, diags: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, esc)) = chars.next() else { break };
        match esc {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            other => {
                let span = Span::new(offset + i, offset + i + 1 + other.len_utf8());
                diags.push(
                    Diagnostic::error(Code::InvalidEscape, span, format!("unknown escape sequence `\\{other}`"))
                        .with_help("the escapes are `\\n`, `\\t`, `\\r`, `\\0`, `\\\\` and `\\\"`; regexes use `r\"...\"`"),
                );
            }
        }
    }
    out
}

/// A keyword right after `.` or right before `:` is a field name, not a keyword.
fn demote_field_keywords(tokens: &mut [Token]) {
    for i in 0..tokens.len() {
        let after_dot = i > 0 && tokens[i - 1].tok == Tok::Dot;
        let before_colon = tokens.get(i + 1).is_some_and(|t| t.tok == Tok::Colon);
        if after_dot || before_colon {
            if let Some(word) = tokens[i].tok.keyword_text() {
                tokens[i].tok = Tok::Ident(word.to_owned());
            }
        }
    }
}
