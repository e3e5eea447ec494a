//! Tokens of the `.agp` language as the grammar sees them, with the keyword table.

use std::fmt;

use crate::decimal::Decimal;

macro_rules! keywords {
    ($($variant:ident => $text:literal,)*) => {
        /// A token. Keywords are reserved except where the lexer demotes them to field names.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Tok {
            Ident(String),
            Str(String),
            Regex(String),
            Int(i64),
            Decimal(Decimal),
            /// A duration in milliseconds.
            Duration(i64),
            LBrace, RBrace, LParen, RParen, LBracket, RBracket,
            Lt, Le, Gt, Ge, EqEq, Ne, Assign, Comma, Colon, Dot, Question, Arrow, FatArrow,
            Plus, Minus, Star,
            $($variant,)*
        }

        impl Tok {
            /// The keyword spelled `word`, if it is one.
            pub fn keyword(word: &str) -> Option<Tok> {
                match word {
                    $($text => Some(Tok::$variant),)*
                    _ => None,
                }
            }

            /// The spelling of a keyword token.
            pub fn keyword_text(&self) -> Option<&'static str> {
                match self {
                    $(Tok::$variant => Some($text),)*
                    _ => None,
                }
            }
        }

        /// Every keyword, for completion and for tests that generate token streams.
        pub const KEYWORDS: &[&str] = &[$($text,)*];
    };
}

keywords! {
    Policy => "policy",
    Tenant => "tenant",
    Use => "use",
    Enum => "enum",
    Record => "record",
    Tool => "tool",
    Capability => "capability",
    Grant => "grant",
    To => "to",
    Role => "role",
    Agent => "agent",
    When => "when",
    Const => "const",
    Rule => "rule",
    On => "on",
    Test => "test",
    Expect => "expect",
    Allow => "allow",
    Block => "block",
    RequireApproval => "require_approval",
    Sanitize => "sanitize",
    Severity => "severity",
    Approvers => "approvers",
    Session => "session",
    Tainted => "tainted",
    Labels => "labels",
    Roles => "roles",
    Source => "source",
    Sensitive => "sensitive",
    Provenance => "provenance",
    Input => "input",
    Context => "context",
    Plan => "plan",
    Evaluate => "evaluate",
    MemoryWrite => "memory_write",
    Native => "native",
    Fn => "fn",
    If => "if",
    Then => "then",
    Else => "else",
    And => "and",
    Or => "or",
    Not => "not",
    In => "in",
    Contains => "contains",
    True => "true",
    False => "false",
}

impl Tok {
    /// Does this token start a top-level item wherever it appears? (`tenant` is handled by the
    /// splitter, since it also starts statements in test blocks.)
    pub fn starts_item(&self) -> bool {
        matches!(
            self,
            Tok::Policy
                | Tok::Use
                | Tok::Enum
                | Tok::Record
                | Tok::Tool
                | Tok::Capability
                | Tok::Grant
                | Tok::Const
                | Tok::Rule
                | Tok::Test
                | Tok::Native
        )
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(k) = self.keyword_text() {
            return write!(f, "`{k}`");
        }
        let s = match self {
            Tok::Ident(name) => return write!(f, "identifier `{name}`"),
            Tok::Str(_) => "string literal",
            Tok::Regex(_) => "regex literal",
            Tok::Int(_) => "integer literal",
            Tok::Decimal(_) => "decimal literal",
            Tok::Duration(_) => "duration literal",
            Tok::LBrace => "`{`",
            Tok::RBrace => "`}`",
            Tok::LParen => "`(`",
            Tok::RParen => "`)`",
            Tok::LBracket => "`[`",
            Tok::RBracket => "`]`",
            Tok::Lt => "`<`",
            Tok::Le => "`<=`",
            Tok::Gt => "`>`",
            Tok::Ge => "`>=`",
            Tok::EqEq => "`==`",
            Tok::Ne => "`!=`",
            Tok::Assign => "`=`",
            Tok::Comma => "`,`",
            Tok::Colon => "`:`",
            Tok::Dot => "`.`",
            Tok::Question => "`?`",
            Tok::Arrow => "`->`",
            Tok::FatArrow => "`=>`",
            Tok::Plus => "`+`",
            Tok::Minus => "`-`",
            Tok::Star => "`*`",
            _ => "keyword",
        };
        f.write_str(s)
    }
}
