//! Checking a policy set: parse every file, collect modules and declarations, resolve names,
//! type-check every expression into the typed HIR ([`Program`]), then run the lints. Never
//! fails: every problem is a diagnostic and checking goes on.

mod builtins;
mod declare;
mod expr;
mod lints;
mod literal;
pub mod program;
mod rules;
pub mod scope;
mod tests;
pub mod types;
pub mod value;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ast;
use crate::diagnostic::Diagnostic;
use crate::span::FileId;
use crate::syntax::parse;
use program::{ModuleId, Program, ToolId};
use scope::Scope;
use types::RecordId;

pub use builtins::{member_type, members};

/// A source file handed to the checker.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics, usually a path.
    pub name: String,
    pub text: String,
}

/// The outcome of checking a policy set.
#[derive(Debug)]
pub struct Checked {
    pub program: Program,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The files checked: the set's own files first (ids `0..n`), then the standard-library
    /// modules that were loaded.
    pub files: Vec<SourceFile>,
    pub asts: Vec<ast::File>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks the `.agp` files of one policy set (one directory).
pub fn check_set(files: &[SourceFile]) -> Checked {
    let mut all: Vec<SourceFile> = files.to_vec();
    all.extend(
        crate::stdlib::MODULES.iter().map(|(name, text)| SourceFile { name: format!("<stdlib>/{name}.agp"), text: (*text).to_owned() }),
    );
    let mut diagnostics = Vec::new();
    let mut asts = Vec::with_capacity(all.len());
    for (i, file) in all.iter().enumerate() {
        let parsed = parse(&file.text);
        let id = FileId(i as u32);
        diagnostics.extend(parsed.diagnostics.into_iter().map(|d| d.in_file(id)));
        asts.push(parsed.file);
    }
    let mut checker = Checker {
        files: &all,
        user_files: files.len(),
        asts: &asts,
        program: Program::default(),
        diags: diagnostics,
        scopes: Vec::new(),
        module_items: Vec::new(),
        builtin: BuiltinRecords::default(),
        args_records: HashMap::new(),
        step_records: HashMap::new(),
        const_state: Vec::new(),
        decl_index: HashMap::new(),
        regex_checked: HashMap::new(),
        used_consts: BTreeSet::new(),
        used_imports: BTreeSet::new(),
        tool_grants: BTreeMap::new(),
    };
    checker.run();
    let mut diagnostics = checker.diags;
    let program = checker.program;
    diagnostics.sort_by_key(Diagnostic::sort_key);
    diagnostics.dedup_by(|a, b| {
        a.code == b.code && a.primary.file == b.primary.file && a.primary.span.same_range(b.primary.span) && a.message == b.message
    });
    Checked { program, diagnostics, files: all, asts }
}

/// Records of the built-in bindings.
#[derive(Debug, Default, Clone, Copy)]
struct BuiltinRecords {
    agent: Option<RecordId>,
    session: Option<RecordId>,
    request: Option<RecordId>,
    call: Option<RecordId>,
    input: Option<RecordId>,
    item: Option<RecordId>,
}

/// The state of a constant while constants are checked in dependency order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConstState {
    Pending,
    InProgress,
    /// In progress, and found to depend on itself (reported once).
    Cyclic,
    Done,
}

/// Indices of the AST items of one module, by kind.
#[derive(Debug, Default, Clone)]
struct ModuleItems {
    file: usize,
    uses: Vec<usize>,
    consts: Vec<usize>,
}

struct Checker<'a> {
    files: &'a [SourceFile],
    user_files: usize,
    asts: &'a [ast::File],
    program: Program,
    diags: Vec<Diagnostic>,
    scopes: Vec<Scope>,
    module_items: Vec<ModuleItems>,
    builtin: BuiltinRecords,
    /// `args` records of rule targets, by the sorted tools they cover.
    args_records: HashMap<Vec<ToolId>, RecordId>,
    /// The `Step` record of plan rules, per module.
    step_records: HashMap<ModuleId, (RecordId, RecordId)>,
    const_state: Vec<ConstState>,
    /// Item index of each declaration, by module and the start of its name.
    decl_index: HashMap<(ModuleId, usize), usize>,
    /// Regex patterns already validated, with their error if any.
    regex_checked: HashMap<String, Option<(String, usize, usize)>>,
    used_consts: BTreeSet<u32>,
    /// (module, alias or imported module) pairs that were used.
    used_imports: BTreeSet<(ModuleId, ModuleId)>,
    /// Which grants reach which tools (for lints).
    tool_grants: BTreeMap<ToolId, usize>,
}

impl Checker<'_> {
    fn run(&mut self) {
        self.declare_builtin_records();
        self.collect_modules();
        self.declare_items();
        self.resolve_uses();
        self.resolve_types();
        self.check_consts();
        self.check_tool_defaults();
        self.check_record_defaults();
        self.check_capabilities();
        self.check_grants();
        self.check_rules();
        self.check_tests();
        self.run_lints();
    }

    fn file_id(&self, module: ModuleId) -> FileId {
        self.program.module(module).file
    }

    /// Reports a diagnostic in `module`'s file.
    fn report(&mut self, module: ModuleId, diagnostic: Diagnostic) {
        let file = self.file_id(module);
        self.diags.push(diagnostic.in_file(file));
    }

    /// The source text of a span in a module's file.
    fn source_text(&self, module: ModuleId, span: crate::span::Span) -> String {
        let file = &self.files[self.file_id(module).0 as usize].text;
        file.get(span.start..span.end).unwrap_or("").to_owned()
    }

    fn ty_name(&self, ty: &types::Ty) -> String {
        self.program.type_name(ty)
    }

    /// Tools visible to a module: those of its own tenant scope.
    /// Every tool a request that `module` applies to can call: for a global file, every tool of
    /// the set, the tenants' own included; for a tenant's file, the global tools and that
    /// tenant's. A rule with no target covers these (§10.1), not only the tools its file sees:
    /// a global guard such as `block when call.source == retrieved` must not skip a tool
    /// declared in another file.
    fn tools_in_reach(&self, module: ModuleId) -> Vec<ToolId> {
        let tenant = &self.program.module(module).tenant;
        (0..self.program.tools.len() as u32)
            .map(ToolId)
            .filter(|&t| {
                let declared = self.program.module(self.program.tool(t).module);
                !declared.is_stdlib && (tenant.is_none() || declared.tenant.is_none() || declared.tenant == *tenant)
            })
            .collect()
    }

    fn tools_visible_to(&self, module: ModuleId) -> Vec<ToolId> {
        let scope = &self.scopes[module.0 as usize];
        let mut visible: BTreeSet<ToolId> = BTreeSet::new();
        for d in scope.own.values().chain(scope.imported.values().flatten()) {
            if let scope::Symbol::Tool(t) = d.symbol {
                visible.insert(t);
            }
        }
        visible.into_iter().collect()
    }
}
