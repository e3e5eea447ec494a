//! Language server for `.agp` policies; the editor-support issue fills it in.
