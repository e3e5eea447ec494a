//! Compiler diagnostics as LSP diagnostics: byte spans to line/character positions (UTF-16
//! code units, LSP's default), levels to severities, codes kept, secondary labels as related
//! information.

use aisecops_compiler::{Checked, Diagnostic as CompilerDiagnostic, Level};
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range, Uri,
};

/// Where each line of a text starts, to turn byte offsets into positions.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let character: usize = self.text[self.starts[line]..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of `position` (clamped to its line and the text).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else { return self.text.len() };
        let line_end = self.starts.get(position.line as usize + 1).map_or(self.text.len(), |e| e.saturating_sub(1));
        let mut units = 0u32;
        for (i, c) in self.text[start..line_end.max(start)].char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        line_end.max(start)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range { start: self.position(start), end: self.position(end.max(start)) }
    }
}

/// The LSP diagnostics of file number `file` of a checked set, for the document `uri`.
pub fn diagnostics_for(checked: &Checked, file: usize, uri: &Uri) -> Vec<Diagnostic> {
    let Some(source) = checked.files.get(file) else { return Vec::new() };
    let index = LineIndex::new(&source.text);
    checked.diagnostics.iter().filter(|d| d.primary.file.0 as usize == file).map(|d| convert(d, &index, checked, uri)).collect()
}

fn convert(d: &CompilerDiagnostic, index: &LineIndex<'_>, checked: &Checked, uri: &Uri) -> Diagnostic {
    let severity = match d.level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|label| {
            // A label in another file of the set points there; in this file, here.
            let same = label.file.0 as usize == d.primary.file.0 as usize || label.file == aisecops_compiler::span::FileId::UNSET;
            let (target_uri, range) = if same {
                (uri.clone(), index.range(label.span.start, label.span.end))
            } else {
                let other = checked.files.get(label.file.0 as usize)?;
                let target = Uri::from_file_path(&other.name)?;
                (target, LineIndex::new(&other.text).range(label.span.start, label.span.end))
            };
            Some(DiagnosticRelatedInformation { location: Location { uri: target_uri, range }, message: label.message.clone() })
        })
        .collect();
    Diagnostic {
        range: index.range(d.primary.span.start, d.primary.span.end),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some("aisecops".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}
