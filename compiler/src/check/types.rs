//! The types of the language and how they print in messages.

use std::fmt;

/// Index of a record type (declared, or built in such as `agent` and the `args` of a rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(pub u32);

/// Index of an enum type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumId(pub u32);

/// A type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    Bool,
    Int,
    Decimal,
    String,
    Email,
    Url,
    Path,
    Ip,
    Timestamp,
    Duration,
    Regex,
    Provenance,
    Severity,
    /// A tool name as a value (`call.tool`, `s.tool`).
    Tool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Optional(Box<Ty>),
    Record(RecordId),
    Enum(EnumId),
    /// The type of an expression that already has an error: accepted everywhere, so one
    /// mistake gives one diagnostic.
    Error,
}

/// The provenance variants and severity levels, in their fixed order (shared with the runtime).
pub use aisecops_runtime::schema::{PROVENANCES, SEVERITIES};

impl Ty {
    /// The built-in scalar type spelled `name`.
    pub fn builtin(name: &str) -> Option<Ty> {
        Some(match name {
            "Bool" => Ty::Bool,
            "Int" => Ty::Int,
            "Decimal" => Ty::Decimal,
            "String" => Ty::String,
            "Email" => Ty::Email,
            "Url" => Ty::Url,
            "Path" => Ty::Path,
            "Ip" => Ty::Ip,
            "Timestamp" => Ty::Timestamp,
            "Duration" => Ty::Duration,
            "Regex" => Ty::Regex,
            "Provenance" => Ty::Provenance,
            "Severity" => Ty::Severity,
            _ => return None,
        })
    }

    /// Names of the built-in types, for "did you mean".
    pub const BUILTIN_NAMES: &'static [&'static str] = &[
        "Bool",
        "Int",
        "Decimal",
        "String",
        "Email",
        "Url",
        "Path",
        "Ip",
        "Timestamp",
        "Duration",
        "Regex",
        "Provenance",
        "Severity",
        "List",
        "Set",
    ];

    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Int | Ty::Decimal | Ty::Error)
    }

    /// The type without an optional wrapper: optionals are unwrapped where used, faulting at
    /// run time when absent.
    pub fn unwrap_optional(&self) -> &Ty {
        match self {
            Ty::Optional(inner) => inner.unwrap_optional(),
            other => other,
        }
    }

    /// Element type of a list or set.
    pub fn element(&self) -> Option<&Ty> {
        match self.unwrap_optional() {
            Ty::List(t) | Ty::Set(t) => Some(t),
            _ => None,
        }
    }

    /// Can a value of type `self` be used where `expected` is wanted?
    pub fn fits(&self, expected: &Ty) -> bool {
        let actual = self.unwrap_optional();
        let wanted = expected.unwrap_optional();
        if actual.is_error() || wanted.is_error() {
            return true;
        }
        match (actual, wanted) {
            (Ty::Int, Ty::Decimal) => true,
            (Ty::List(a), Ty::List(b)) | (Ty::Set(a), Ty::Set(b)) => a.fits(b),
            (a, b) => a == b,
        }
    }

    /// Can values of these types be compared with `==`?
    pub fn comparable(a: &Ty, b: &Ty) -> bool {
        a.fits(b) || b.fits(a)
    }

    /// Are values of this type ordered (`<`, `>`)?
    pub fn ordered(&self) -> bool {
        matches!(self.unwrap_optional(), Ty::Int | Ty::Decimal | Ty::Timestamp | Ty::Duration | Ty::String | Ty::Severity | Ty::Error)
    }
}

/// Prints a type, naming records and enums.
pub struct TyDisplay<'a> {
    pub ty: &'a Ty,
    pub record_name: &'a dyn Fn(RecordId) -> String,
    pub enum_name: &'a dyn Fn(EnumId) -> String,
}

impl fmt::Display for TyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sub = |ty| TyDisplay { ty, record_name: self.record_name, enum_name: self.enum_name };
        match self.ty {
            Ty::List(t) => write!(f, "List<{}>", sub(t)),
            Ty::Set(t) => write!(f, "Set<{}>", sub(t)),
            Ty::Optional(t) => write!(f, "{}?", sub(t)),
            Ty::Record(id) => f.write_str(&(self.record_name)(*id)),
            Ty::Enum(id) => f.write_str(&(self.enum_name)(*id)),
            Ty::Error => f.write_str("{unknown}"),
            other => f.write_str(match other {
                Ty::Bool => "Bool",
                Ty::Int => "Int",
                Ty::Decimal => "Decimal",
                Ty::String => "String",
                Ty::Email => "Email",
                Ty::Url => "Url",
                Ty::Path => "Path",
                Ty::Ip => "Ip",
                Ty::Timestamp => "Timestamp",
                Ty::Duration => "Duration",
                Ty::Regex => "Regex",
                Ty::Provenance => "Provenance",
                Ty::Severity => "Severity",
                _ => "Tool",
            }),
        }
    }
}
