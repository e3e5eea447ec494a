//! The one `Diagnostic` type of the compiler: a stable code, a level, a message, a primary label,
//! secondary labels and help. The CLI renders it for people and machines; the LSP maps it.
//!
//! Message style: lowercase, no final period, user input in backticks.

use crate::span::{FileId, Span};

macro_rules! codes {
    ($($variant:ident = $num:literal, $level:ident, $title:literal;)*) => {
        /// A stable diagnostic code. The number never changes meaning once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in output, e.g. `AGP0201`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!("AGP", $num),)*
                }
            }

            /// A short description of the problem the code stands for (SARIF rule text).
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)*
                }
            }

            /// The level diagnostics with this code have.
            pub fn level(self) -> Level {
                match self {
                    $(Code::$variant => Level::$level,)*
                }
            }

            /// A kebab-case name for the code (SARIF `name`).
            pub fn name(self) -> String {
                let raw = stringify_variant(self);
                let mut out = String::new();
                for (i, c) in raw.chars().enumerate() {
                    if c.is_ascii_uppercase() {
                        if i > 0 {
                            out.push('-');
                        }
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }

        fn stringify_variant(code: Code) -> &'static str {
            match code {
                $(Code::$variant => stringify!($variant),)*
            }
        }
    };
}

codes! {
    // Lexical and syntax errors.
    UnexpectedCharacter = "0001", Error, "unexpected character in source";
    UnterminatedString = "0002", Error, "unterminated string, regex or comment";
    UnexpectedToken = "0003", Error, "unexpected token";
    UnexpectedEof = "0004", Error, "unexpected end of file";
    InvalidEscape = "0005", Error, "unknown escape sequence in a string";
    NumberOutOfRange = "0006", Error, "numeric literal out of range";
    InvalidDecimal = "0007", Error, "invalid decimal literal";
    MissingPolicy = "0008", Error, "file does not start with a `policy` declaration";
    MisplacedHeader = "0009", Error, "`policy` or `tenant` declared twice or after other items";
    TooComplex = "0010", Error, "declaration nested too deeply to check";
    // Modules and policy sets.
    UnknownModule = "0101", Error, "`use` names a module that does not exist";
    DuplicateModule = "0102", Error, "two files declare the same policy module";
    TenantIsolation = "0103", Error, "a module uses another tenant's module";
    NativeOutsideStdlib = "0104", Error, "`native fn` outside the standard library";
    // Names.
    UnknownTool = "0201", Error, "unknown tool";
    UnknownCapability = "0202", Error, "unknown capability";
    UnknownType = "0203", Error, "unknown type";
    UnknownName = "0204", Error, "unknown name";
    UnknownVariant = "0205", Error, "unknown enum variant";
    UnknownField = "0206", Error, "unknown field";
    UnknownMethod = "0207", Error, "unknown method";
    UnknownFunction = "0208", Error, "unknown function";
    DuplicateDeclaration = "0209", Error, "name declared twice";
    DuplicateField = "0210", Error, "field or parameter declared twice";
    DuplicateVariant = "0211", Error, "enum variant declared twice";
    PhaseBinding = "0212", Error, "binding not available in the rule's phase";
    AmbiguousName = "0213", Error, "name imported from more than one module";
    UnknownSeverity = "0214", Error, "unknown severity level";
    UnknownProvenance = "0215", Error, "unknown provenance";
    SensitiveOutsideTool = "0216", Error, "`sensitive` outside a tool's arguments";
    // Types.
    TypeMismatch = "0301", Error, "expression has the wrong type";
    Incomparable = "0302", Error, "values of these types cannot be compared";
    InvalidOperand = "0303", Error, "operator not defined for this type";
    ArgumentCount = "0304", Error, "wrong number of arguments";
    ConditionNotBool = "0305", Error, "condition is not a `Bool`";
    InvalidRegex = "0306", Error, "invalid regular expression";
    ProvenanceTarget = "0307", Error, "`provenance` applied to something other than an argument";
    NotConstant = "0308", Error, "value must be known at compile time";
    InvalidLiteral = "0309", Error, "literal is not a valid value of its type";
    TypeArity = "0310", Error, "wrong number of type parameters";
    CannotInfer = "0311", Error, "type of an empty collection cannot be inferred";
    MisplacedLambda = "0312", Error, "lambda outside `any` or `all`";
    RecursiveRecord = "0313", Error, "record contains itself";
    NotShared = "0314", Error, "field not shared by every tool the rule targets";
    NotCollection = "0315", Error, "value is not a list or set";
    // Rules, grants and capabilities.
    EffectInPhase = "0401", Error, "effect not available in the rule's phase";
    ApproversMisplaced = "0402", Error, "`approvers` on an effect other than `require_approval`";
    TargetInPhase = "0403", Error, "only `evaluate` rules name tools or capabilities";
    EmptyCapability = "0404", Error, "capability contains no tools";
    DuplicateOption = "0405", Error, "effect option given twice";
    // Test blocks.
    TestWithoutExpect = "0501", Error, "test has no `expect`";
    TestRequest = "0502", Error, "test must describe exactly one request";
    MissingArgument = "0503", Error, "required argument missing";
    UnknownArgument = "0504", Error, "argument the tool does not declare";
    DuplicateStatement = "0505", Error, "test statement given twice";
    // Lints.
    UnreachableTool = "0901", Warning, "no grant reaches this tool";
    UngrantedCapability = "0902", Warning, "capability is never granted";
    RuleNeverFires = "0903", Warning, "rule can never fire";
    DuplicateRuleName = "0904", Warning, "two rules share a name";
    IdenticalRule = "0905", Warning, "rule identical to another";
    UnusedConst = "0906", Warning, "constant never used";
    UnusedUse = "0907", Warning, "imported module never used";
    RuleAlwaysFires = "0908", Warning, "condition is always true";
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// A place in a file, with a message saying what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A problem found in a policy set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub level: Level,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at the code's own level (errors for most codes, warnings for lints).
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            level: code.level(),
            message: message.into(),
            primary: Label { file: FileId::UNSET, span, message: String::new() },
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Same as [`Diagnostic::new`]; reads better where the code is an error.
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, span, message)
    }

    /// Places the diagnostic and its labels that were not placed yet (`FileId::UNSET`) in `file`.
    pub fn in_file(mut self, file: FileId) -> Diagnostic {
        self.set_file(file);
        self
    }

    /// In-place form of [`Diagnostic::in_file`].
    pub fn set_file(&mut self, file: FileId) {
        if self.primary.file == FileId::UNSET {
            self.primary.file = file;
        }
        for label in &mut self.secondary {
            if label.file == FileId::UNSET {
                label.file = file;
            }
        }
    }

    /// Sets the text shown under the primary span.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label { file, span, message: message.into() });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The order diagnostics are reported in: by file, position, then code.
    pub fn sort_key(&self) -> (FileId, usize, usize, Code) {
        (self.primary.file, self.primary.span.start, self.primary.span.end, self.code)
    }
}

/// The closest of `candidates` to `name`, if it is close enough to be a likely misspelling.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = strsim::jaro_winkler(name, candidate);
        let close = strsim::levenshtein(name, candidate) <= (name.len().max(3) / 3).max(1) || score >= 0.88;
        if close && best.is_none_or(|(b, c)| score > b || (score == b && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert_eq!(code.as_str().len(), 7);
        }
        assert!(Code::ALL.len() >= 30);
        assert_eq!(Code::UnknownTool.name(), "unknown-tool");
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("cap_notifcation_ops", ["cap_notification_ops", "cap_service_ops"]), Some("cap_notification_ops"));
        assert_eq!(did_you_mean("zzz", ["cap_notification_ops"]), None);
    }
}
