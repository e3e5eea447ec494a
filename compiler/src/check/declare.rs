//! Modules and declarations: the `policy`/`tenant` header of each file, the names each file
//! declares, `use` resolution with tenant isolation, and the resolution of declared types.

use std::collections::BTreeMap;

use super::program::{
    Capability, CapabilityId, Const, ConstId, Enum, Field, Function, FunctionId, Module, ModuleId, Record, RecordOrigin, Tool, ToolId,
};
use super::scope::{Declared, Lookup, Scope, Symbol};
use super::types::{EnumId, RecordId, Ty};
use super::{Checker, ConstState, ModuleItems};
use crate::ast::{self, Item, TypeExpr};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::span::{FileId, Span};

impl Checker<'_> {
    pub(super) fn add_record(&mut self, name: &str, fields: Vec<Field>, origin: RecordOrigin) -> RecordId {
        let id = RecordId(self.program.records.len() as u32);
        self.program.records.push(Record { name: name.to_owned(), fields, origin, span: Span::default() });
        id
    }

    pub(super) fn declare_builtin_records(&mut self) {
        let f = |name: &str, ty: Ty| Field { name: name.to_owned(), ty, default: None, span: Span::default(), sensitive: false };
        let set_of_strings = Ty::Set(Box::new(Ty::String));
        self.builtin.agent =
            Some(self.add_record("Agent", vec![f("id", Ty::String), f("roles", set_of_strings.clone())], RecordOrigin::Builtin));
        self.builtin.session =
            Some(self.add_record("Session", vec![f("tainted", Ty::Bool), f("labels", set_of_strings)], RecordOrigin::Builtin));
        self.builtin.request =
            Some(self.add_record("Request", vec![f("time", Ty::Timestamp), f("correlation_id", Ty::String)], RecordOrigin::Builtin));
        self.builtin.call = Some(self.add_record("Call", vec![f("tool", Ty::Tool), f("source", Ty::Provenance)], RecordOrigin::Builtin));
        self.builtin.input = Some(self.add_record("Input", vec![f("text", Ty::String)], RecordOrigin::Builtin));
        self.builtin.item = Some(self.add_record(
            "Item",
            vec![
                f("text", Ty::String),
                f("source", Ty::String),
                f("provenance", Ty::Provenance),
                f("uri", Ty::Optional(Box::new(Ty::Url))),
            ],
            RecordOrigin::Builtin,
        ));
    }

    /// Reads each file's header: `policy` first, then an optional `tenant`.
    pub(super) fn collect_modules(&mut self) {
        let mut by_name: BTreeMap<String, (ModuleId, Span)> = BTreeMap::new();
        for (index, ast) in self.asts.iter().enumerate() {
            let file = FileId(index as u32);
            let is_stdlib = index >= self.user_files;
            let mut name: Option<(String, Span)> = None;
            let mut tenant: Option<String> = None;
            let mut items = ModuleItems { file: index, ..ModuleItems::default() };
            for (pos, item) in ast.items.iter().enumerate() {
                match item {
                    Item::Policy(dotted) if pos == 0 => name = Some((dotted.text(), dotted.span)),
                    Item::Tenant(t) if pos == 1 && name.is_some() && tenant.is_none() => tenant = Some(t.value.clone()),
                    Item::Policy(dotted) => self.diags.push(
                        Diagnostic::error(Code::MisplacedHeader, dotted.span, "`policy` must be the first item of the file, once")
                            .with_help("a file is one module; move this into its own file")
                            .in_file(file),
                    ),
                    Item::Tenant(t) => self.diags.push(
                        Diagnostic::error(Code::MisplacedHeader, t.span, "`tenant` must come right after `policy`, once").in_file(file),
                    ),
                    Item::Use(_) => items.uses.push(pos),
                    Item::Const(_) => items.consts.push(pos),
                    _ => {}
                }
            }
            let (module_name, span) = match name {
                Some(n) => n,
                None => {
                    // The first line of the first item.
                    let item = first_span(ast);
                    let text = &self.files[index].text;
                    let line_end = text.get(item.start..).and_then(|t| t.find('\n')).map_or(item.end, |i| item.start + i);
                    let first = Span::new(item.start, line_end.min(item.end));
                    if !matches!(ast.items.first(), Some(Item::Error(_))) {
                        self.diags.push(
                            Diagnostic::error(Code::MissingPolicy, first, "file does not start with a `policy` declaration")
                                .with_help("start the file with `policy <name>`, e.g. `policy acme.support`")
                                .in_file(file),
                        );
                    }
                    (format!("<unnamed{index}>"), first)
                }
            };
            let id = ModuleId(self.program.modules.len() as u32);
            if let Some((_, first)) = by_name.get(&module_name) {
                let first_file = self.program.module(by_name[&module_name].0).file;
                self.diags.push(
                    Diagnostic::error(Code::DuplicateModule, span, format!("module `{module_name}` is declared by two files"))
                        .with_secondary(first_file, *first, "first declared here")
                        .with_help("each file of a policy set declares its own module name")
                        .in_file(file),
                );
            } else {
                by_name.insert(module_name.clone(), (id, span));
            }
            self.program.modules.push(Module { name: module_name, file, tenant, is_stdlib });
            self.module_items.push(items);
            self.scopes.push(Scope::default());
        }
    }

    fn declare(&mut self, module: ModuleId, name: &ast::Ident, symbol: Symbol) {
        let file = self.file_id(module);
        let scope = &mut self.scopes[module.0 as usize];
        if let Some(first) = scope.own.get(&name.name) {
            let diag = Diagnostic::error(
                Code::DuplicateDeclaration,
                name.span,
                format!("`{}` is already declared as {}", name.name, with_article(first.symbol.kind())),
            )
            .with_secondary(first.file, first.span, "first declared here")
            .in_file(file);
            self.diags.push(diag);
            return;
        }
        scope.own.insert(name.name.clone(), Declared { symbol, module, file, span: name.span });
    }

    /// Gives every declaration an id and a name in its module's scope.
    pub(super) fn declare_items(&mut self) {
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            let is_stdlib = self.program.module(module).is_stdlib;
            let ast = &self.asts[self.module_items[m].file];
            for (index, item) in ast.items.iter().enumerate() {
                let name_start = match item {
                    Item::Tool(d) => Some(d.name.span.start),
                    Item::Capability(d) => Some(d.name.span.start),
                    Item::Const(d) => Some(d.name.span.start),
                    Item::Record(d) => Some(d.name.span.start),
                    _ => None,
                };
                if let Some(start) = name_start {
                    self.decl_index.insert((module, start), index);
                }
                match item {
                    Item::Enum(e) => {
                        let id = EnumId(self.program.enums.len() as u32);
                        self.program.enums.push(Enum { name: e.name.name.clone(), module, variants: Vec::new(), span: e.name.span });
                        self.declare(module, &e.name, Symbol::Enum(id));
                    }
                    Item::Record(r) => {
                        let id = self.add_record(&r.name.name, Vec::new(), RecordOrigin::Declared(module));
                        self.program.records[id.0 as usize].span = r.name.span;
                        self.declare(module, &r.name, Symbol::Record(id));
                    }
                    Item::Tool(t) => {
                        let id = ToolId(self.program.tools.len() as u32);
                        let args = self.add_record(&format!("{} arguments", t.name.name), Vec::new(), RecordOrigin::Args);
                        self.program.tools.push(Tool {
                            name: t.name.name.clone(),
                            module,
                            params: Vec::new(),
                            args,
                            result: None,
                            span: t.name.span,
                        });
                        self.declare(module, &t.name, Symbol::Tool(id));
                    }
                    Item::Capability(c) => {
                        let id = CapabilityId(self.program.capabilities.len() as u32);
                        self.program.capabilities.push(Capability {
                            name: c.name.name.clone(),
                            module,
                            tools: Vec::new(),
                            span: c.name.span,
                        });
                        self.declare(module, &c.name, Symbol::Capability(id));
                    }
                    Item::Const(c) => {
                        let id = ConstId(self.program.consts.len() as u32);
                        self.program.consts.push(Const {
                            name: c.name.name.clone(),
                            module,
                            ty: Ty::Error,
                            value: None,
                            span: c.name.span,
                        });
                        self.const_state.push(ConstState::Pending);
                        self.declare(module, &c.name, Symbol::Const(id));
                    }
                    Item::Function(f) => {
                        if !is_stdlib {
                            self.report(
                                module,
                                Diagnostic::error(
                                    Code::NativeOutsideStdlib,
                                    f.name.span,
                                    "`native fn` is only allowed in the standard library",
                                )
                                .with_help("native functions are implemented by the runtime; call them through `use std.<module>`"),
                            );
                        }
                        let id = FunctionId(self.program.functions.len() as u32);
                        let name = format!("{}.{}", self.program.module(module).name, f.name.name);
                        self.program.functions.push(Function { name, module, params: Vec::new(), result: Ty::Error });
                        self.declare(module, &f.name, Symbol::Function(id));
                    }
                    _ => {}
                }
            }
        }
        self.check_unique_tools();
    }

    /// A request names a tool by its bare name, so two tools of one tenant scope may not share it.
    fn check_unique_tools(&mut self) {
        let mut seen: BTreeMap<(Option<String>, String), ToolId> = BTreeMap::new();
        let mut order: Vec<ToolId> = (0..self.program.tools.len() as u32).map(ToolId).collect();
        order.sort_by_key(|t| self.program.module(self.program.tool(*t).module).tenant.is_some());
        for id in order {
            let tool = self.program.tool(id);
            let tenant = self.program.module(tool.module).tenant.clone();
            let global = seen.get(&(None, tool.name.clone())).copied();
            let clash = global.or_else(|| seen.get(&(tenant.clone(), tool.name.clone())).copied());
            match clash {
                Some(first) if self.program.tool(first).module != tool.module => {
                    let f = self.program.tool(first);
                    let diag = Diagnostic::error(
                        Code::DuplicateDeclaration,
                        tool.span,
                        format!("tool `{}` is already declared in module `{}`", tool.name, self.program.module(f.module).name),
                    )
                    .with_secondary(self.file_id(f.module), f.span, "first declared here")
                    .with_help("requests name tools by their bare name, so each tool name is declared once per tenant");
                    let module = tool.module;
                    self.report(module, diag);
                }
                Some(_) => {}
                None => {
                    seen.insert((tenant, tool.name.clone()), id);
                }
            }
        }
    }

    /// Resolves `use` items into imports and aliases, enforcing tenant isolation.
    pub(super) fn resolve_uses(&mut self) {
        let names: BTreeMap<String, ModuleId> =
            self.program.modules.iter().enumerate().map(|(i, m)| (m.name.clone(), ModuleId(i as u32))).collect();
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            let items = self.module_items[m].clone();
            for pos in items.uses {
                let Item::Use(dotted) = &self.asts[items.file].items[pos] else {
                    continue;
                };
                let text = dotted.text();
                let Some(&target) = names.get(&text) else {
                    let suggestion = did_you_mean(&text, names.keys().map(String::as_str)).map(str::to_owned);
                    let mut diag = Diagnostic::error(Code::UnknownModule, dotted.span, format!("unknown module `{text}`"));
                    diag = match suggestion {
                        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                        None => diag.with_help("a module is a standard-library module (`std.injection`, `std.pii`, `std.secrets`, `std.net`, `std.path`) or another file of this directory"),
                    };
                    self.report(module, diag);
                    continue;
                };
                let mine = self.program.module(module).tenant.clone();
                let theirs = self.program.module(target).tenant.clone();
                if let Some(theirs) = &theirs {
                    if mine.as_ref() != Some(theirs) {
                        let message = match &mine {
                            Some(mine) => format!("tenant `{mine}` cannot use module `{text}` of tenant `{theirs}`"),
                            None => format!("a global module cannot use module `{text}` of tenant `{theirs}`"),
                        };
                        self.report(
                            module,
                            Diagnostic::error(Code::TenantIsolation, dotted.span, message)
                                .with_help("a tenant's declarations are visible only to that tenant's files; move shared declarations to a file without `tenant`"),
                        );
                        continue;
                    }
                }
                let alias = dotted.parts.last().map(|p| p.name.clone()).unwrap_or_default();
                self.scopes[m].aliases.insert(alias, (target, dotted.span));
                if !self.program.module(target).is_stdlib {
                    let exported: Vec<(String, Declared)> =
                        self.scopes[target.0 as usize].own.iter().map(|(n, d)| (n.clone(), *d)).collect();
                    for (name, declared) in exported {
                        self.scopes[m].imported.entry(name).or_default().push(declared);
                    }
                }
            }
        }
    }

    /// Resolves a written type.
    pub(super) fn resolve_type(&mut self, module: ModuleId, ty: &TypeExpr) -> Ty {
        match ty {
            TypeExpr::Optional(inner, _) => match self.resolve_type(module, inner) {
                Ty::Optional(t) => Ty::Optional(t),
                t => Ty::Optional(Box::new(t)),
            },
            TypeExpr::Named { name, args, span } => {
                let arity = |this: &mut Self, want: usize| -> bool {
                    if args.len() == want {
                        return true;
                    }
                    let message = if want == 0 {
                        format!("`{}` takes no type parameters", name.name)
                    } else {
                        format!("`{}` takes {want} type parameter, found {}", name.name, args.len())
                    };
                    this.report(module, Diagnostic::error(Code::TypeArity, *span, message));
                    false
                };
                match name.name.as_str() {
                    "List" | "Set" => {
                        if !arity(self, 1) {
                            return Ty::Error;
                        }
                        let inner = Box::new(self.resolve_type(module, &args[0]));
                        return if name.name == "List" { Ty::List(inner) } else { Ty::Set(inner) };
                    }
                    builtin if Ty::builtin(builtin).is_some() => {
                        arity(self, 0);
                        return Ty::builtin(builtin).unwrap_or(Ty::Error);
                    }
                    _ => {}
                }
                match self.lookup(module, &name.name, name.span) {
                    Some(Symbol::Record(r)) => {
                        arity(self, 0);
                        Ty::Record(r)
                    }
                    Some(Symbol::Enum(e)) => {
                        arity(self, 0);
                        Ty::Enum(e)
                    }
                    Some(other) => {
                        self.report(
                            module,
                            Diagnostic::error(Code::UnknownType, name.span, format!("`{}` is a {}, not a type", name.name, other.kind())),
                        );
                        Ty::Error
                    }
                    None => {
                        let mut candidates: Vec<String> = Ty::BUILTIN_NAMES.iter().map(|s| (*s).to_owned()).collect();
                        candidates.extend(
                            self.scopes[module.0 as usize]
                                .names_where(|s| matches!(s, Symbol::Record(_) | Symbol::Enum(_)))
                                .into_iter()
                                .map(str::to_owned),
                        );
                        let mut diag = Diagnostic::error(Code::UnknownType, name.span, format!("unknown type `{}`", name.name));
                        if let Some(s) = did_you_mean(&name.name, candidates.iter().map(String::as_str)) {
                            diag = diag.with_help(format!("did you mean `{s}`?"));
                        }
                        self.report(module, diag);
                        Ty::Error
                    }
                }
            }
        }
    }

    /// Looks a name up in a module's scope, reporting ambiguity; `None` if missing (not reported).
    pub(super) fn lookup(&mut self, module: ModuleId, name: &str, span: Span) -> Option<Symbol> {
        match self.scopes[module.0 as usize].lookup(name) {
            Lookup::Found(d) => {
                if d.module != module {
                    self.used_imports.insert((module, d.module));
                }
                Some(d.symbol)
            }
            Lookup::Ambiguous(ds) => {
                let modules: Vec<String> = ds.iter().map(|d| format!("`{}`", self.program.module(d.module).name)).collect();
                self.report(
                    module,
                    Diagnostic::error(Code::AmbiguousName, span, format!("`{name}` is imported from {}", modules.join(" and ")))
                        .with_help("qualify the name with its module, e.g. `module.name`"),
                );
                // Go on with the first candidate so one ambiguity gives one diagnostic.
                ds.first().map(|d| {
                    self.used_imports.insert((module, d.module));
                    d.symbol
                })
            }
            Lookup::Missing => None,
        }
    }

    /// Resolves the fields of records, the variants of enums, the parameters of tools and the
    /// signatures of native functions.
    pub(super) fn resolve_types(&mut self) {
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            let ast = &self.asts[self.module_items[m].file];
            for item in &ast.items {
                match item {
                    Item::Enum(e) => self.resolve_enum(module, e),
                    Item::Record(r) => {
                        let Some(Symbol::Record(id)) = self.own_symbol(module, &r.name) else {
                            continue;
                        };
                        let fields = self.resolve_fields(module, &r.fields, false);
                        self.program.records[id.0 as usize].fields = fields;
                    }
                    Item::Tool(t) => {
                        let Some(Symbol::Tool(id)) = self.own_symbol(module, &t.name) else {
                            continue;
                        };
                        let params = self.resolve_fields(module, &t.params, true);
                        let result = t.result.as_ref().map(|r| self.resolve_type(module, r));
                        let args = self.program.tool(id).args;
                        self.program.records[args.0 as usize].fields = params.clone();
                        let tool = &mut self.program.tools[id.0 as usize];
                        tool.params = params;
                        tool.result = result;
                    }
                    Item::Function(f) => {
                        let Some(Symbol::Function(id)) = self.own_symbol(module, &f.name) else {
                            continue;
                        };
                        let params = f.params.iter().map(|p| self.resolve_type(module, &p.ty)).collect();
                        let result = self.resolve_type(module, &f.result);
                        let function = &mut self.program.functions[id.0 as usize];
                        function.params = params;
                        function.result = result;
                    }
                    _ => {}
                }
            }
        }
        self.check_record_cycles();
    }

    /// The symbol `name` was declared as, if this very declaration won (not a duplicate).
    pub(super) fn own_symbol(&self, module: ModuleId, name: &ast::Ident) -> Option<Symbol> {
        self.scopes[module.0 as usize].own.get(&name.name).filter(|d| d.span.same_range(name.span)).map(|d| d.symbol)
    }

    fn resolve_enum(&mut self, module: ModuleId, e: &ast::EnumDecl) {
        let Some(Symbol::Enum(id)) = self.own_symbol(module, &e.name) else {
            return;
        };
        let mut variants: Vec<String> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for v in &e.variants {
            if let Some(pos) = variants.iter().position(|x| *x == v.name) {
                let first = spans[pos];
                let file = self.file_id(module);
                self.report(
                    module,
                    Diagnostic::error(Code::DuplicateVariant, v.span, format!("variant `{}` is declared twice", v.name)).with_secondary(
                        file,
                        first,
                        "first declared here",
                    ),
                );
                continue;
            }
            variants.push(v.name.clone());
            spans.push(v.span);
        }
        self.program.enums[id.0 as usize].variants = variants;
    }

    /// The fields of a record (`tool` false) or the parameters of a tool.
    fn resolve_fields(&mut self, module: ModuleId, decls: &[ast::FieldDecl], tool: bool) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for decl in decls {
            let ty = self.resolve_type(module, &decl.ty);
            if let Some(first) = fields.iter().find(|f| f.name == decl.name.name) {
                let (file, first_span) = (self.file_id(module), first.span);
                self.report(
                    module,
                    Diagnostic::error(Code::DuplicateField, decl.name.span, format!("field `{}` is declared twice", decl.name.name))
                        .with_secondary(file, first_span, "first declared here"),
                );
                continue;
            }
            let sensitive = match &decl.modifier {
                None => false,
                Some(_) if tool => true,
                Some(m) => {
                    self.report(
                        module,
                        Diagnostic::error(Code::SensitiveOutsideTool, m.span, "only a tool's arguments can be `sensitive`")
                            .with_help("`sensitive` marks an argument whose value audit events mask"),
                    );
                    false
                }
            };
            fields.push(Field { name: decl.name.name.clone(), ty, default: None, span: decl.name.span, sensitive });
        }
        fields
    }

    /// A record that contains itself through required fields could never be built.
    fn check_record_cycles(&mut self) {
        for start in 0..self.program.records.len() {
            let RecordOrigin::Declared(module) = self.program.records[start].origin.clone() else {
                continue;
            };
            let mut stack = vec![RecordId(start as u32)];
            let mut seen = vec![false; self.program.records.len()];
            let mut cyclic = false;
            while let Some(r) = stack.pop() {
                for field in &self.program.records[r.0 as usize].fields {
                    if let Ty::Record(next) = field.ty {
                        if next.0 as usize == start {
                            cyclic = true;
                        } else if !seen[next.0 as usize] {
                            seen[next.0 as usize] = true;
                            stack.push(next);
                        }
                    }
                }
            }
            if cyclic {
                let record = &self.program.records[start];
                let diag = Diagnostic::error(Code::RecursiveRecord, record.span, format!("record `{}` contains itself", record.name))
                    .with_help("make the recursive field optional (`T?`) or a list");
                self.report(module, diag);
            }
        }
    }
}

fn first_span(ast: &ast::File) -> Span {
    match ast.items.first() {
        None => Span::new(0, 0),
        Some(Item::Error(s)) => *s,
        Some(Item::Policy(d) | Item::Use(d)) => d.span,
        Some(Item::Tenant(t)) => t.span,
        Some(Item::Enum(d)) => d.span,
        Some(Item::Record(d)) => d.span,
        Some(Item::Tool(d)) => d.span,
        Some(Item::Capability(d)) => d.span,
        Some(Item::Grant(d)) => d.span,
        Some(Item::Const(d)) => d.span,
        Some(Item::Rule(d)) => d.span,
        Some(Item::Test(d)) => d.span,
        Some(Item::Function(d)) => d.span,
    }
}

/// "a tool", "an enum".
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {kind}")
}
