//! Names visible in a module: its own declarations, those of the sibling modules it `use`s
//! (unqualified), and the aliases of used modules (`injection` for `use std.injection`).

use std::collections::BTreeMap;

use super::program::{CapabilityId, ConstId, FunctionId, ModuleId, ToolId};
use super::types::{EnumId, RecordId};
use crate::span::{FileId, Span};

/// What a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Tool(ToolId),
    Capability(CapabilityId),
    Record(RecordId),
    Enum(EnumId),
    Const(ConstId),
    Function(FunctionId),
    Module(ModuleId),
}

impl Symbol {
    pub fn kind(self) -> &'static str {
        match self {
            Symbol::Tool(_) => "tool",
            Symbol::Capability(_) => "capability",
            Symbol::Record(_) => "record",
            Symbol::Enum(_) => "enum",
            Symbol::Const(_) => "constant",
            Symbol::Function(_) => "function",
            Symbol::Module(_) => "module",
        }
    }
}

/// A declaration with where it was declared.
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    pub symbol: Symbol,
    pub module: ModuleId,
    pub file: FileId,
    pub span: Span,
}

/// The names of one module.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Declarations of the module itself.
    pub own: BTreeMap<String, Declared>,
    /// Declarations imported unqualified by `use`; more than one entry means ambiguous.
    pub imported: BTreeMap<String, Vec<Declared>>,
    /// Module aliases (`injection` → `std.injection`), with the span of the `use`.
    pub aliases: BTreeMap<String, (ModuleId, Span)>,
}

/// The result of looking a name up.
pub enum Lookup {
    Found(Declared),
    Ambiguous(Vec<Declared>),
    Missing,
}

impl Scope {
    pub fn lookup(&self, name: &str) -> Lookup {
        if let Some(d) = self.own.get(name) {
            return Lookup::Found(*d);
        }
        match self.imported.get(name).map(Vec::as_slice) {
            Some([one]) => return Lookup::Found(*one),
            Some(many) if many.len() > 1 => return Lookup::Ambiguous(many.to_vec()),
            _ => {}
        }
        match self.aliases.get(name) {
            Some((m, span)) => Lookup::Found(Declared { symbol: Symbol::Module(*m), module: *m, file: FileId::default(), span: *span }),
            None => Lookup::Missing,
        }
    }

    /// Every visible name whose symbol passes `filter` (for "did you mean").
    pub fn names_where(&self, filter: impl Fn(Symbol) -> bool) -> Vec<&str> {
        let own = self.own.iter().filter(|(_, d)| filter(d.symbol)).map(|(n, _)| n.as_str());
        let imported = self.imported.iter().filter(|(_, ds)| ds.iter().any(|d| filter(d.symbol))).map(|(n, _)| n.as_str());
        let aliases = self.aliases.iter().filter(|(_, (m, _))| filter(Symbol::Module(*m))).map(|(n, _)| n.as_str());
        own.chain(imported).chain(aliases).collect()
    }
}
