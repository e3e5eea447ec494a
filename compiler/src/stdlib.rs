//! The standard library's declarations, embedded from `stdlib/*.agp`. The functions are
//! implemented natively by the runtime; these files give them their types.

/// `(name, source)` of each standard module, named as in `use std.<name>`.
pub const MODULES: &[(&str, &str)] = &[
    ("injection", include_str!("../../stdlib/injection.agp")),
    ("pii", include_str!("../../stdlib/pii.agp")),
    ("secrets", include_str!("../../stdlib/secrets.agp")),
    ("net", include_str!("../../stdlib/net.agp")),
    ("path", include_str!("../../stdlib/path.agp")),
];
