//! Byte spans into a source file and the ids of files in a policy set.
//!
//! A `Span` compares equal to every other span and hashes to nothing, so AST nodes can derive
//! `PartialEq`/`Hash` and compare by structure alone (as cedar's `Node<T>` does). Use
//! [`Span::same_range`] when the position itself matters.

use std::hash::{Hash, Hasher};

/// A half-open byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end: end.max(start) }
    }

    /// A span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The first `len` bytes of this span.
    pub fn with_len(self, len: usize) -> Span {
        Span::new(self.start, (self.start + len).min(self.end.max(self.start + len)))
    }

    /// Do the two spans cover the same bytes?
    pub fn same_range(self, other: Span) -> bool {
        self.start == other.start && self.end == other.end
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Eq for Span {}

impl Hash for Span {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// The index of a file in the policy set being compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

impl FileId {
    /// A label whose file is the file of the diagnostic it belongs to, set by
    /// [`crate::diagnostic::Diagnostic::in_file`].
    pub const UNSET: FileId = FileId(u32::MAX);
}
