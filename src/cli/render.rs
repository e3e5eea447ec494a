//! Rendering diagnostics: for people with ariadne, and for machines as JSON, SARIF 2.1.0 and
//! GitHub workflow annotations. Positions are 1-based lines and columns counted in characters.

use std::fmt::Write as _;

use aisecops::{Diagnostic, Level, SourceFile};
use ariadne::{Color, Config, IndexType, Label, Report as AReport, ReportKind};
use serde_json::{json, Value};

/// Diagnostics of every checked set, with the files they point into.
#[derive(Default)]
pub struct Report {
    /// `(files of the set, diagnostics of the set)`.
    pub sets: Vec<(Vec<SourceFile>, Vec<Diagnostic>)>,
    pub files_checked: usize,
}

impl Report {
    pub fn add(&mut self, files: Vec<SourceFile>, diagnostics: Vec<Diagnostic>) {
        self.sets.push((files, diagnostics));
    }

    pub fn count(&self, level: Level) -> usize {
        self.sets.iter().flat_map(|(_, ds)| ds).filter(|d| d.level == level).count()
    }

    fn each(&self) -> impl Iterator<Item = (&[SourceFile], &Diagnostic)> {
        self.sets.iter().flat_map(|(files, ds)| ds.iter().map(move |d| (files.as_slice(), d)))
    }

    fn summary(&self) -> String {
        let (e, w) = (self.count(Level::Error), self.count(Level::Warning));
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!("checked {}: {}, {}", plural(self.files_checked, "file"), plural(e, "error"), plural(w, "warning"))
    }
}

/// A 1-based line and column (in characters).
#[derive(Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
}

fn position(text: &str, offset: usize) -> Position {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position { line, column: before[line_start..].chars().count() + 1 }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn text_of(files: &[SourceFile], d_file: u32) -> (&str, &str) {
    files.get(d_file as usize).map_or(("<unknown>", ""), |f| (f.name.as_str(), f.text.as_str()))
}

fn range(files: &[SourceFile], file: u32, span: aisecops::compiler::Span) -> (Position, Position) {
    let (_, text) = text_of(files, file);
    (position(text, span.start), position(text, span.end))
}

pub fn human(report: &Report, colour: bool) -> String {
    let mut out: Vec<u8> = Vec::new();
    for (files, d) in report.each() {
        let kind = if d.level == Level::Error { ReportKind::Error } else { ReportKind::Warning };
        let file_name = |id: u32| text_of(files, id).0.to_owned();
        let primary = file_name(d.primary.file.0);
        let span = |s: aisecops::compiler::Span| s.start..s.end.max(s.start);
        let config = Config::default().with_color(colour).with_index_type(IndexType::Byte);
        let label_text = if d.primary.message.is_empty() { d.message.clone() } else { d.primary.message.clone() };
        let mut builder = AReport::build(kind, (primary.clone(), span(d.primary.span)))
            .with_config(config)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_label(Label::new((primary, span(d.primary.span))).with_message(label_text).with_color(Color::Red));
        for l in &d.secondary {
            builder = builder.with_label(Label::new((file_name(l.file.0), span(l.span))).with_message(&l.message).with_color(Color::Blue));
        }
        if let Some(help) = &d.help {
            builder = builder.with_help(help);
        }
        let cache = ariadne::sources(files.iter().map(|f| (f.name.clone(), f.text.clone())));
        let _ = builder.finish().write(cache, &mut out);
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    let _ = writeln!(text, "{}", report.summary());
    text
}

fn location(files: &[SourceFile], file: u32, span: aisecops::compiler::Span) -> Value {
    let (start, end) = range(files, file, span);
    json!({
        "file": text_of(files, file).0,
        "start": {"line": start.line, "column": start.column, "offset": span.start},
        "end": {"line": end.line, "column": end.column, "offset": span.end},
    })
}

pub fn json(report: &Report) -> String {
    let diagnostics: Vec<Value> = report
        .each()
        .map(|(files, d)| {
            let mut primary = location(files, d.primary.file.0, d.primary.span);
            primary["message"] = json!(d.primary.message);
            json!({
                "code": d.code.as_str(),
                "level": d.level.as_str(),
                "message": d.message,
                "location": primary,
                "related": d.secondary.iter().map(|l| {
                    let mut loc = location(files, l.file.0, l.span);
                    loc["message"] = json!(l.message);
                    loc
                }).collect::<Vec<_>>(),
                "help": d.help,
            })
        })
        .collect();
    let doc = json!({
        "diagnostics": diagnostics,
        "summary": {"files": report.files_checked, "errors": report.count(Level::Error), "warnings": report.count(Level::Warning)},
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// FNV-1a, 64 bits: a stable fingerprint independent of the Rust version.
fn fnv1a(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn sarif_region(files: &[SourceFile], file: u32, span: aisecops::compiler::Span) -> Value {
    let (start, end) = range(files, file, span);
    json!({
        "artifactLocation": {"uri": text_of(files, file).0.trim_start_matches("./")},
        "region": {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column},
    })
}

pub fn sarif(report: &Report) -> String {
    let rules: Vec<Value> = aisecops::Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.name(),
                "shortDescription": {"text": c.title()},
                "helpUri": format!("docs/language.md#{}", c.as_str().to_lowercase()),
                "defaultConfiguration": {"level": c.level().as_str()},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .each()
        .map(|(files, d)| {
            let (name, text) = text_of(files, d.primary.file.0);
            let start = floor_char_boundary(text, d.primary.span.start.min(text.len()));
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line_text = text[line_start..line_end].trim();
            let index = aisecops::Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                let _ = write!(message, " (help: {help})");
            }
            json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": d.level.as_str(),
                "message": {"text": message},
                "locations": [{"physicalLocation": sarif_region(files, d.primary.file.0, d.primary.span)}],
                "relatedLocations": d.secondary.iter().enumerate().map(|(i, l)| json!({
                    "id": i,
                    "physicalLocation": sarif_region(files, l.file.0, l.span),
                    "message": {"text": l.message},
                })).collect::<Vec<_>>(),
                "partialFingerprints": {"aisecopsFingerprint/v1": fnv1a(&[d.code.as_str(), name.trim_start_matches("./"), &d.message, line_text])},
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "aisecops", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for (files, d) in report.each() {
        let (start, end) = range(files, d.primary.file.0, d.primary.span);
        let command = if d.level == Level::Error { "error" } else { "warning" };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(text_of(files, d.primary.file.0).0.trim_start_matches("./")),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(d.code.as_str()),
            escape_data(&message)
        );
    }
    let _ = writeln!(out, "{}", report.summary());
    out
}
