//! The policy's schema at run time: types, records, enums and tool signatures, which direct
//! request decoding.

use serde::{Deserialize, Serialize};

use crate::value::Value;

/// Provenance variants, in their fixed order (shared with the compiler).
pub const PROVENANCES: [&str; 7] = ["user", "system", "skill", "tool_output", "retrieved", "memory", "unknown"];
/// Severities, least severe first.
pub const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];

/// A run-time type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Type {
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
    Tool,
    List(Box<Type>),
    Set(Box<Type>),
    Optional(Box<Type>),
    Record(u32),
    Enum(u32),
}

impl Type {
    /// Written as a JSON string in requests (see `args::decode_text`).
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            Type::String
                | Type::Email
                | Type::Url
                | Type::Path
                | Type::Ip
                | Type::Timestamp
                | Type::Duration
                | Type::Provenance
                | Type::Severity
                | Type::Tool
                | Type::Enum(_)
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    /// The default of an optional or defaulted argument.
    pub default: Option<Value>,
    /// Declared `sensitive`: masked in audit events. Left out of the bundle when false, so
    /// policies without it keep their hash.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
}

impl Field {
    pub fn required(&self) -> bool {
        self.default.is_none() && !matches!(self.ty, Type::Optional(_))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enum {
    pub name: String,
    pub variants: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    /// The tenant whose files declare the tool; `None` for global tools.
    pub tenant: Option<u32>,
    pub params: Vec<Field>,
}

impl Tool {
    /// Index of the parameter called `name`.
    pub fn param(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }
}
