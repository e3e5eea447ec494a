//! The language server for `.agp` policies (`aisecops lsp`), over stdio with tower-lsp-server.
//! It keeps each open document's text; on open and on every change it checks the document's
//! policy set (the other `.agp` files of its directory, read from disk unless they are open
//! too) and publishes the same diagnostics as `aisecops check` — codes, messages, help and the
//! secondary labels as related information — as LSP ranges. Formatting uses the formatter of
//! `aisecops fmt`; document symbols, hover, go to definition and references use the
//! declarations of the set (`symbols.rs`). This is the only crate that knows LSP types.

mod convert;
mod symbols;
mod typed;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use aisecops_compiler::{check_set, SourceFile};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use convert::{diagnostics_for, LineIndex};
use symbols::{chain_before, completions, declarations, name_at, targeted_tools, uses, Declaration, Kind};
use typed::{expression_at, member_completions};

/// One open document.
#[derive(Debug, Clone)]
struct Document {
    text: String,
    version: i32,
}

/// The server: the client to talk to and the open documents, by URI.
pub struct Backend {
    client: Client,
    documents: Mutex<BTreeMap<String, (Uri, Document)>>,
}

impl Backend {
    fn new(client: Client) -> Backend {
        Backend { client, documents: Mutex::new(BTreeMap::new()) }
    }

    fn open_documents(&self) -> BTreeMap<String, (Uri, Document)> {
        self.documents.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Checks the policy set of `uri` and publishes the diagnostics of every open document of
    /// that set (an edit in one file can fix or break another).
    async fn check(&self, uri: &Uri) {
        let open = self.open_documents();
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            // Not a file (an untitled buffer): check it alone.
            if let Some((_, doc)) = open.get(uri.as_str()) {
                let name = uri.as_str().to_owned();
                let checked = check_set(&[SourceFile { name: name.clone(), text: doc.text.clone() }]);
                let diags = diagnostics_for(&checked, 0, uri);
                self.client.publish_diagnostics(uri.clone(), diags, Some(doc.version)).await;
            }
            return;
        };
        let (sources, uris) = policy_set(&path, &open);
        let checked = check_set(&sources);
        for (i, file_uri) in uris.iter().enumerate() {
            if let Some((_, doc)) = open.get(file_uri.as_str()) {
                let diags = diagnostics_for(&checked, i, file_uri);
                self.client.publish_diagnostics(file_uri.clone(), diags, Some(doc.version)).await;
            }
        }
    }
}

/// The policy set of a document: its sources, their URIs, and where the document is among them.
struct Set {
    sources: Vec<SourceFile>,
    uris: Vec<Uri>,
    index: usize,
}

impl Set {
    fn declarations(&self) -> Vec<Declaration> {
        let asts: Vec<_> = self.sources.iter().map(|s| aisecops_compiler::syntax::parse(&s.text).file).collect();
        let texts: Vec<&str> = self.sources.iter().map(|s| s.text.as_str()).collect();
        declarations(&asts, &texts)
    }

    fn location(&self, file: usize, span: aisecops_compiler::Span) -> Option<Location> {
        let index = LineIndex::new(&self.sources.get(file)?.text);
        Some(Location { uri: self.uris.get(file)?.clone(), range: index.range(span.start, span.end) })
    }

    /// The name under `position` in the document and its declaration, if the set has one.
    fn declaration_at(&self, position: Position) -> Option<(Declaration, aisecops_compiler::Span)> {
        let text = &self.sources.get(self.index)?.text;
        let offset = LineIndex::new(text).offset(position);
        let (name, span) = name_at(text, offset)?;
        let decl = self.declarations().into_iter().find(|d| d.name == name && d.kind != Kind::Test)?;
        Some((decl, span))
    }
}

impl Backend {
    /// The policy set of the open document `uri`.
    fn set_of(&self, uri: &Uri) -> Option<Set> {
        let open = self.open_documents();
        match uri.to_file_path() {
            Some(path) => {
                let (sources, uris) = policy_set(&path, &open);
                let index = uris.iter().position(|u| u.as_str() == uri.as_str())?;
                Some(Set { sources, uris, index })
            }
            None => {
                let (_, doc) = open.get(uri.as_str())?;
                Some(Set {
                    sources: vec![SourceFile { name: uri.as_str().to_owned(), text: doc.text.clone() }],
                    uris: vec![uri.clone()],
                    index: 0,
                })
            }
        }
    }
}

/// The `.agp` files of `path`'s directory (open documents as they are in the editor), sorted,
/// with their URIs; `path` itself is always among them.
fn policy_set(path: &Path, open: &BTreeMap<String, (Uri, Document)>) -> (Vec<SourceFile>, Vec<Uri>) {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "agp")).collect())
        .unwrap_or_default();
    if !files.iter().any(|f| f == path) {
        files.push(path.to_path_buf());
    }
    files.sort();
    let mut sources = Vec::new();
    let mut uris = Vec::new();
    for file in files {
        let Some(uri) = Uri::from_file_path(&file) else { continue };
        let text = match open.get(uri.as_str()) {
            Some((_, doc)) => doc.text.clone(),
            None => std::fs::read_to_string(&file).unwrap_or_default(),
        };
        sources.push(SourceFile { name: file.display().to_string(), text });
        uris.push(uri);
    }
    (sources, uris)
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "aisecops".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![".".to_owned()]),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let uri = doc.uri.clone();
        if let Ok(mut docs) = self.documents.lock() {
            docs.insert(uri.as_str().to_owned(), (uri.clone(), Document { text: doc.text, version: doc.version }));
        }
        self.check(&uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Full synchronisation: the last change is the whole text.
        let Some(change) = params.content_changes.into_iter().last() else { return };
        if let Ok(mut docs) = self.documents.lock() {
            docs.insert(uri.as_str().to_owned(), (uri.clone(), Document { text: change.text, version: params.text_document.version }));
        }
        self.check(&uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Ok(mut docs) = self.documents.lock() {
            docs.remove(uri.as_str());
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let Some(set) = self.set_of(&params.text_document.uri) else { return Ok(None) };
        let Some(source) = set.sources.get(set.index) else { return Ok(None) };
        let index = LineIndex::new(&source.text);
        #[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given.
        let symbols: Vec<DocumentSymbol> = set
            .declarations()
            .into_iter()
            .filter(|d| d.file == set.index)
            .map(|d| DocumentSymbol {
                name: d.name.clone(),
                detail: d.detail.lines().next().map(str::to_owned),
                kind: symbol_kind(d.kind),
                tags: None,
                deprecated: None,
                range: index.range(d.span.start, d.span.end),
                selection_range: index.range(d.name_span.start, d.name_span.end),
                children: None,
            })
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    /// A declared name shows its declaration; inside a condition, the innermost expression
    /// shows its type.
    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(set) = self.set_of(&at.text_document.uri) else { return Ok(None) };
        let index = LineIndex::new(&set.sources[set.index].text);
        let (text, span) = match set.declaration_at(at.position) {
            Some((decl, span)) => (decl.detail, span),
            None => {
                let checked = check_set(&set.sources);
                let Some((span, typed)) = expression_at(&checked, set.index, index.offset(at.position)) else { return Ok(None) };
                (typed, span)
            }
        };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: format!("```agp\n{text}\n```") }),
            range: Some(index.range(span.start, span.end)),
        }))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let Some(set) = self.set_of(&at.text_document.uri) else { return Ok(None) };
        let Some((decl, _)) = set.declaration_at(at.position) else { return Ok(None) };
        Ok(set.location(decl.file, decl.name_span).map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let Some(set) = self.set_of(&at.text_document.uri) else { return Ok(None) };
        let Some((decl, _)) = set.declaration_at(at.position) else { return Ok(None) };
        let mut found = Vec::new();
        for (file, source) in set.sources.iter().enumerate() {
            for span in uses(&source.text, &decl.name) {
                let is_declaration = file == decl.file && span.start == decl.name_span.start;
                if is_declaration && !params.context.include_declaration {
                    continue;
                }
                found.extend(set.location(file, span));
            }
        }
        Ok(Some(found))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some(set) = self.set_of(&at.text_document.uri) else { return Ok(None) };
        let asts: Vec<_> = set.sources.iter().map(|s| aisecops_compiler::syntax::parse(&s.text).file).collect();
        let texts: Vec<&str> = set.sources.iter().map(|s| s.text.as_str()).collect();
        let offset = LineIndex::new(texts[set.index]).offset(at.position);
        // After `name.` (other than `args.`): what the value's type offers, from the checker.
        let typed = match chain_before(texts[set.index], offset) {
            Some(chain) if chain != ["args"] => {
                let checked = check_set(&set.sources);
                let tools = targeted_tools(&asts, texts[set.index], offset).unwrap_or_default();
                Some(member_completions(&checked.program, &chain, &tools).unwrap_or_default())
            }
            _ => None,
        };
        let found = typed.unwrap_or_else(|| completions(&asts, &texts, set.index, offset));
        let items: Vec<CompletionItem> = found
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                kind: Some(match c.kind {
                    Kind::Record => CompletionItemKind::FIELD,
                    Kind::Enum => CompletionItemKind::ENUM_MEMBER,
                    Kind::Const => CompletionItemKind::CONSTANT,
                    Kind::Capability => CompletionItemKind::MODULE,
                    Kind::Function => CompletionItemKind::FUNCTION,
                    _ => CompletionItemKind::INTERFACE,
                }),
                detail: Some(c.detail),
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    /// Quick fixes: a diagnostic whose help says "did you mean `x`?" offers to write `x`.
    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let mut actions = Vec::new();
        for diagnostic in &params.context.diagnostics {
            let Some(suggestion) = diagnostic.message.split("did you mean `").nth(1).and_then(|rest| rest.split('`').next()) else {
                continue;
            };
            let edit = TextEdit { range: diagnostic.range, new_text: suggestion.to_owned() };
            let mut changes = std::collections::HashMap::new();
            changes.insert(params.text_document.uri.clone(), vec![edit]);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("replace with `{suggestion}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let Some((_, doc)) = self.open_documents().get(uri.as_str()).cloned() else { return Ok(None) };
        // A document with syntax errors is not formatted (its diagnostics say why).
        let Ok(formatted) = aisecops_compiler::syntax::format(&doc.text) else { return Ok(None) };
        if formatted == doc.text {
            return Ok(Some(Vec::new()));
        }
        let index = LineIndex::new(&doc.text);
        let range = Range { start: Position::new(0, 0), end: index.position(doc.text.len()) };
        Ok(Some(vec![TextEdit { range, new_text: formatted }]))
    }
}

fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Tool => SymbolKind::INTERFACE,
        Kind::Capability => SymbolKind::MODULE,
        Kind::Const => SymbolKind::CONSTANT,
        Kind::Record => SymbolKind::STRUCT,
        Kind::Enum => SymbolKind::ENUM,
        Kind::Rule => SymbolKind::EVENT,
        Kind::Test => SymbolKind::METHOD,
        Kind::Function => SymbolKind::FUNCTION,
    }
}

/// Serves the language server on standard input and output until the client exits.
pub fn serve_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let (stdin, stdout) = (tokio::io::stdin(), tokio::io::stdout());
        let (service, socket) = LspService::new(Backend::new);
        Server::new(stdin, stdout, socket).serve(service).await;
    });
    Ok(())
}
