//! The JSON string forms of the texts decisions share with the policy (rule names, reasons,
//! conditions, capabilities, tools, the texts of explained expressions), kept from one event
//! to the next so each is escaped once rather than on every line. A text is recognised by its
//! allocation: the policy's names are shared, so the same `Arc` comes back. A text held by the
//! decision alone (a gate's reason made for it) is escaped as it is and not kept. What is
//! written never depends on what is kept.

use std::sync::Arc;

use super::canonical::string;
use crate::decision::Text;

/// How many texts are kept (direct-mapped by address: a text replaces the one in its slot).
const SLOTS: usize = 64;
/// Longer texts are escaped each time (a kept text is a copy).
const MAX_KEPT_BYTES: usize = 512;

#[derive(Debug)]
pub(super) struct Quoted {
    slots: Vec<Option<(Text, Box<str>)>>,
}

impl Default for Quoted {
    fn default() -> Self {
        Quoted { slots: vec![None; SLOTS] }
    }
}

impl Quoted {
    /// Writes `text` as a JSON string (as `canonical::string` does).
    pub(super) fn write(&mut self, out: &mut String, text: &Text) {
        let slot = &mut self.slots[(Arc::as_ptr(text).cast::<u8>() as usize >> 4) % SLOTS];
        if let Some((kept, json)) = slot {
            if Arc::ptr_eq(kept, text) {
                out.push_str(json);
                return;
            }
        }
        let start = out.len();
        string(out, text);
        if Arc::strong_count(text) > 1 && text.len() <= MAX_KEPT_BYTES {
            *slot = Some((text.clone(), out[start..].into()));
        }
    }

    /// `,"key":` and `text` as a JSON string, when there is a text.
    pub(super) fn member(&mut self, out: &mut String, key: &str, text: Option<&Text>) {
        if let Some(text) = text {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            self.write(out, text);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// Kept or not, shared or not, colliding in a slot or not: the same JSON as `string`.
    #[test]
    fn kept_texts_are_written_as_escaping_them_writes_them() {
        let texts: Vec<Text> = (0..300)
            .map(|i| Arc::from(format!("args.x{i}.starts_with(\"a\\b\n\u{1}{}\")", "é".repeat(i % 7)).as_str()))
            .chain([Arc::from(""), Arc::from("x".repeat(MAX_KEPT_BYTES + 1).as_str())])
            .collect();
        let shared: Vec<Text> = texts.clone();
        let mut quoted = Quoted::default();
        for round in 0..3 {
            for (i, text) in texts.iter().enumerate() {
                // Every other text is written through a copy held by the decision alone.
                let own: Text = Arc::from(&**text);
                let t = if (i + round) % 2 == 0 { &shared[i] } else { &own };
                let (mut got, mut want) = (String::from("["), String::from("["));
                quoted.write(&mut got, t);
                string(&mut want, t);
                assert_eq!(got, want);
            }
        }
        let mut out = String::new();
        quoted.member(&mut out, "rule", Some(&shared[0]));
        quoted.member(&mut out, "reason", None);
        let mut want = String::from(",\"rule\":");
        string(&mut want, &shared[0]);
        assert_eq!(out, want);
    }
}
