//! Text as the injection rules see it. One pass, linear in the input:
//! - compatibility decomposition (NFKD: fullwidth, mathematical and circled letters, ligatures
//!   become plain letters) with combining marks dropped, which also folds accents (`ïgnörë`
//!   reads `ignore`); Hangul syllables are kept whole;
//! - zero-width, bidirectional-control and other invisible characters removed;
//! - tag characters (U+E0020–U+E007E, "ASCII smuggling") read as the ASCII they stand for;
//! - look-alike letters (Cyrillic `о`, Greek `ο`, …) folded to Latin inside words that mix them
//!   with Latin letters (a word wholly in Cyrillic stays Cyrillic, so Russian rules still read
//!   Russian);
//! - lower case, and every run of whitespace as one space.
//!
//! Optionally it records, for each output byte, the input byte it came from, so matches can be
//! reported as spans of the original text.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Normalised text, and (when asked for) the original byte of each of its bytes.
#[derive(Debug, Default)]
pub struct Normalised {
    pub text: String,
    pub origin: Option<Vec<u32>>,
    /// Whether the original is written mostly in single letters or digits set apart (`i g n o
    /// r e`): at least 8 runs of letters and digits, 70% of them one character long.
    pub letters_apart: bool,
    /// Whether the original may hold an encoded run (`decode.rs`): 14 bytes of the base64
    /// alphabets in a row (16 with padding), a `%` or a `&`. Without one, nothing is worth decoding.
    pub encoded: bool,
}

/// Normalises `text`; `origin` records where each output byte came from.
pub fn normalise(text: &str, origin: bool) -> Normalised {
    if !origin && text.is_ascii() {
        return super::ascii::normalise(text.as_bytes());
    }
    if origin {
        let (mut n, origin) = run::<true>(text);
        n.origin = Some(origin);
        n
    } else {
        run::<false>(text).0
    }
}

/// The general path without origins, for comparing the ASCII path with it.
#[cfg(test)]
pub(super) fn general(text: &str) -> Normalised {
    run::<false>(text).0
}

/// One pass over `text`; with `ORIGIN`, each output byte's input byte too. ASCII bytes (most
/// of any text) take a table-driven path that appends one byte.
fn run<const ORIGIN: bool>(text: &str) -> (Normalised, Vec<u32>) {
    let mut n = Normaliser::<ORIGIN> {
        out: Vec::with_capacity(text.len()),
        origin: Vec::with_capacity(if ORIGIN { text.len() } else { 0 }),
        space: false,
        word_start: 0,
        latin: false,
        confusable: false,
        run: 0,
        runs: 0,
        single: 0,
        base64: 0,
        encoded: false,
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            i = n.ascii_run(bytes, i);
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        n.encoded |= n.base64 >= 14;
        n.base64 = 0;
        if caseless_letter(c) {
            n.count(true);
            n.push(c, i);
        } else {
            n.count(alphanumeric(c));
            n.other(c, i);
        }
        i += c.len_utf8();
    }
    n.count(false);
    n.encoded |= n.base64 >= 14;
    n.end_word();
    let letters_apart = n.runs >= 8 && n.single * 10 >= n.runs * 7;
    // Only whole characters are appended, so this is UTF-8; the fallback cannot run.
    let text = String::from_utf8(n.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (Normalised { text, origin: None, letters_apart, encoded: n.encoded }, n.origin)
}

/// Writes the space whitespace left pending, once something was written before it (with the
/// input byte `at` as its origin); whether it wrote one.
#[inline(always)]
fn pending_space<const ORIGIN: bool>(space: &mut bool, out: &mut Vec<u8>, origin: &mut Vec<u32>, at: usize) -> bool {
    if !std::mem::replace(space, false) || out.is_empty() {
        return false;
    }
    out.push(b' ');
    if ORIGIN {
        origin.push(at as u32);
    }
    true
}

/// What an ASCII byte is to the normaliser.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    Lower,
    Upper,
    Digit,
    Space,
    /// Control characters other than whitespace: invisible.
    Control,
    /// Visible, not a letter or digit: ends a word.
    Mark,
}

impl Ascii {
    fn alphanumeric(self) -> bool {
        matches!(self, Ascii::Lower | Ascii::Upper | Ascii::Digit)
    }
}

const fn ascii_classes() -> [Ascii; 128] {
    let mut table = [Ascii::Mark; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_lowercase() {
            Ascii::Lower
        } else if byte.is_ascii_uppercase() {
            Ascii::Upper
        } else if byte.is_ascii_digit() {
            Ascii::Digit
        } else if byte.is_ascii_whitespace() {
            Ascii::Space
        } else if byte < 0x20 || byte == 0x7f {
            Ascii::Control
        } else {
            Ascii::Mark
        };
        b += 1;
    }
    table
}

static ASCII: [Ascii; 128] = ascii_classes();

struct Normaliser<const ORIGIN: bool> {
    out: Vec<u8>,
    origin: Vec<u32>,
    /// Whitespace seen since the last character written.
    space: bool,
    /// Where the current word starts in the output, and what it holds.
    word_start: usize,
    latin: bool,
    confusable: bool,
    /// Runs of letters and digits in the original: the length of the current one, how many
    /// ended, and how many of those were one character long.
    run: u32,
    runs: u32,
    single: u32,
    /// Bytes of the base64 alphabets in a row, and whether an encoded run may be present.
    base64: u32,
    encoded: bool,
}

impl<const ORIGIN: bool> Normaliser<ORIGIN> {
    /// The ASCII bytes from `i` on, up to the next other byte or the end (where it returns):
    /// the hot loop, on local state.
    fn ascii_run(&mut self, bytes: &[u8], mut i: usize) -> usize {
        // A word that began with a look-alike letter is finished on the general path (which
        // folds it), after which no look-alike is pending.
        while self.confusable {
            let Some(&b) = bytes.get(i).filter(|b| b.is_ascii()) else { return i };
            let alphanumeric = ASCII[usize::from(b)].alphanumeric();
            self.count(alphanumeric);
            if alphanumeric || matches!(b, b'+' | b'/' | b'_' | b'-') {
                self.base64 += 1;
            } else {
                self.encoded |= self.base64 >= 14 || matches!(b, b'%' | b'&');
                self.base64 = 0;
            }
            self.ascii(b, i);
            i += 1;
        }
        let mut out = std::mem::take(&mut self.out);
        let mut origin = std::mem::take(&mut self.origin);
        let (mut space, mut word_start, mut latin) = (self.space, self.word_start, self.latin);
        let (mut run, mut runs, mut single) = (self.run, self.runs, self.single);
        let (mut base64, mut encoded) = (self.base64, self.encoded);
        while let Some(&b) = bytes.get(i) {
            if !b.is_ascii() {
                break;
            }
            let class = ASCII[usize::from(b)];
            if class.alphanumeric() {
                if pending_space::<ORIGIN>(&mut space, &mut out, &mut origin, i) {
                    word_start = out.len();
                }
                if class == Ascii::Upper {
                    run += 1;
                    base64 += 1;
                    latin = true;
                    out.push(b | 0x20);
                    if ORIGIN {
                        origin.push(i as u32);
                    }
                    i += 1;
                    continue;
                }
                // A run of lower-case letters and digits is copied as it is.
                let mut end = i + 1;
                let mut letters = class == Ascii::Lower;
                while let Some(&next) = bytes.get(end) {
                    match next {
                        b'a'..=b'z' => letters = true,
                        b'0'..=b'9' => {}
                        _ => break,
                    }
                    end += 1;
                }
                let len = (end - i) as u32;
                run += len;
                base64 += len;
                latin |= letters;
                out.extend_from_slice(&bytes[i..end]);
                if ORIGIN {
                    origin.extend(i as u32..end as u32);
                }
                i = end;
                continue;
            }
            if run > 0 {
                runs += 1;
                single += u32::from(run == 1);
                run = 0;
            }
            // 14 and `==` padding make the 16 bytes an encoded run needs.
            encoded |= base64 >= 14;
            if matches!(b, b'+' | b'/' | b'_' | b'-') {
                base64 += 1;
            } else {
                base64 = 0;
                encoded |= matches!(b, b'%' | b'&');
            }
            latin = false;
            match class {
                Ascii::Space => space = true,
                Ascii::Control => {}
                _ => {
                    pending_space::<ORIGIN>(&mut space, &mut out, &mut origin, i);
                    out.push(b);
                    if ORIGIN {
                        origin.push(i as u32);
                    }
                }
            }
            word_start = out.len();
            i += 1;
        }
        self.out = out;
        self.origin = origin;
        (self.space, self.word_start, self.latin) = (space, word_start, latin);
        (self.run, self.runs, self.single) = (run, runs, single);
        self.base64 = base64;
        self.encoded = encoded | (base64 >= 14);
        i
    }

    /// Counts an original character, a letter or digit or not, into the runs.
    #[inline(always)]
    fn count(&mut self, alphanumeric: bool) {
        if alphanumeric {
            self.run += 1;
        } else if self.run > 0 {
            self.runs += 1;
            self.single += u32::from(self.run == 1);
            self.run = 0;
        }
    }

    /// Writes a pending space (once something was written), then `bytes` (one character).
    #[inline(always)]
    fn push_bytes(&mut self, bytes: &[u8], at: usize) {
        if pending_space::<ORIGIN>(&mut self.space, &mut self.out, &mut self.origin, at) {
            self.word_start = self.out.len();
        }
        self.out.extend_from_slice(bytes);
        if ORIGIN {
            self.origin.extend(std::iter::repeat_n(at as u32, bytes.len()));
        }
    }

    fn push(&mut self, c: char, at: usize) {
        self.push_bytes(c.encode_utf8(&mut [0; 4]).as_bytes(), at);
    }

    #[inline(always)]
    fn ascii(&mut self, b: u8, at: usize) {
        self.ascii_class(ASCII[usize::from(b & 0x7f)], b, at);
    }

    #[inline(always)]
    fn ascii_class(&mut self, class: Ascii, b: u8, at: usize) {
        match class {
            Ascii::Lower => {
                self.latin = true;
                self.push_bytes(&[b], at);
            }
            Ascii::Upper => {
                self.latin = true;
                self.push_bytes(&[b | 0x20], at);
            }
            Ascii::Digit => self.push_bytes(&[b], at),
            Ascii::Space => {
                self.end_word();
                self.space = true;
            }
            Ascii::Control => self.end_word(),
            Ascii::Mark => {
                self.end_word();
                self.push_bytes(&[b], at);
                self.word_start = self.out.len();
            }
        }
    }

    fn other(&mut self, c: char, at: usize) {
        match c {
            // Tag characters spell ASCII ("ASCII smuggling"): read them as it.
            '\u{e0020}'..='\u{e007e}' => {
                let ascii = (u32::from(c) - 0xe0000) as u8;
                return self.ascii(ascii, at);
            }
            c if super::super::invisible(c) => return,
            _ => {}
        }
        if c.is_whitespace() {
            self.end_word();
            self.space = true;
            return;
        }
        if !decomposed(c) {
            return self.letter(c, at);
        }
        let mut parts = [' '; 8];
        let mut count = 0;
        decompose_compatible(c, |d| {
            if count < parts.len() && !diacritic(d) {
                parts[count] = d;
                count += 1;
            }
        });
        for &d in &parts[..count] {
            if d.is_ascii() {
                self.ascii(d as u8, at);
            } else if d.is_whitespace() {
                self.end_word();
                self.space = true;
            } else {
                self.letter(d, at);
            }
        }
    }

    /// Writes `c` in lower case: from the table when that is one character, else from the
    /// standard library.
    fn letter(&mut self, c: char, at: usize) {
        if let Some(facts) = facts(c).filter(|f| f.flags & ONE_LOWER != 0) {
            let lower = char::from_u32(u32::from(c).wrapping_add_signed(i32::from(facts.lower))).unwrap_or(c);
            return self.lower(lower, facts.flags & LOWER_ALPHANUMERIC != 0, facts.flags & LOOK_ALIKE != 0, at);
        }
        for lower in c.to_lowercase() {
            self.lower(lower, lower.is_alphanumeric(), latin_look_alike(lower).is_some(), at);
        }
    }

    /// Writes a lower-case character: a letter or digit goes on the word (a look-alike marks
    /// it for folding), anything else ends it.
    #[inline(always)]
    fn lower(&mut self, lower: char, alphanumeric: bool, look_alike: bool, at: usize) {
        if alphanumeric {
            self.confusable |= look_alike;
        } else {
            self.end_word();
        }
        self.push(lower, at);
        if !alphanumeric {
            self.word_start = self.out.len();
        }
    }

    /// Ends the current word: one that mixes Latin letters with look-alikes has them folded.
    #[inline(always)]
    fn end_word(&mut self) {
        if self.confusable {
            self.fold_word();
        }
        self.word_start = self.out.len();
        self.latin = false;
    }

    #[cold]
    fn fold_word(&mut self) {
        self.confusable = false;
        if !self.latin || self.word_start >= self.out.len() {
            return;
        }
        let word = self.out.split_off(self.word_start);
        let origins = if ORIGIN { self.origin.split_off(self.word_start) } else { Vec::new() };
        let word = match String::from_utf8(word) {
            Ok(word) => word,
            // Only whole characters are appended, so this cannot happen; keep the word as is.
            Err(e) => {
                self.out.extend_from_slice(e.as_bytes());
                self.origin.extend(origins);
                return;
            }
        };
        for (i, c) in word.char_indices() {
            let folded = latin_look_alike(c).unwrap_or(c);
            let at = origins.get(i).map_or(0, |&o| o as usize);
            self.out.extend_from_slice(folded.encode_utf8(&mut [0; 4]).as_bytes());
            if ORIGIN {
                self.origin.extend(std::iter::repeat_n(at as u32, folded.len_utf8()));
            }
        }
    }
}

/// What the normaliser asks of a character of the Basic Multilingual Plane (U+0080 to U+FFFF:
/// every script in common use), read from a table: the standard library's Unicode look-ups
/// cost hundreds of instructions a character.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
struct Facts {
    /// The character in lower case (when it is one character: [`ONE_LOWER`]), as the
    /// distance from the character (so letters without case, 0, make alike blocks).
    lower: i16,
    flags: u8,
}

const ALPHANUMERIC: u8 = 1;
const ONE_LOWER: u8 = 2;
const LOWER_ALPHANUMERIC: u8 = 4;
const LOOK_ALIKE: u8 = 8;

/// Characters a block of [`Table`] holds.
const BLOCK: usize = 64;

/// [`Facts`] for every character below U+10000, in blocks of [`BLOCK`]: `blocks[c / BLOCK]`
/// says where in `entries` the block of `c` starts. Most blocks are alike (CJK ideographs,
/// Hangul syllables, unassigned code points), so each different block is kept once: 44 KB.
struct Table {
    blocks: Vec<u32>,
    entries: Vec<Facts>,
}

/// What the standard library says of `c`.
fn facts_of(c: char) -> Facts {
    let mut lower = c.to_lowercase();
    let one = match (lower.next(), lower.next()) {
        (Some(l), None) => i16::try_from(i64::from(u32::from(l)) - i64::from(u32::from(c))).ok().map(|distance| (distance, l)),
        _ => None,
    };
    let mut flags = if c.is_alphanumeric() { ALPHANUMERIC } else { 0 };
    if let Some((distance, l)) = one {
        flags |= ONE_LOWER;
        flags |= if l.is_alphanumeric() { LOWER_ALPHANUMERIC } else { 0 };
        flags |= if latin_look_alike(l).is_some() { LOOK_ALIKE } else { 0 };
        return Facts { lower: distance, flags };
    }
    Facts { lower: 0, flags }
}

static TABLE: std::sync::LazyLock<Table> = std::sync::LazyLock::new(|| {
    let mut table = Table { blocks: Vec::with_capacity(0x10000 / BLOCK), entries: Vec::new() };
    let mut seen: rustc_hash::FxHashMap<Vec<Facts>, u32> = rustc_hash::FxHashMap::default();
    for block in 0..0x10000 / BLOCK {
        // Surrogates are not characters: their entries are never read.
        let entries: Vec<Facts> =
            (block * BLOCK..(block + 1) * BLOCK).map(|code| char::from_u32(code as u32).map_or_else(Facts::default, facts_of)).collect();
        let at = *seen.entry(entries).or_insert_with_key(|entries| {
            table.entries.extend_from_slice(entries);
            (table.entries.len() - BLOCK) as u32
        });
        table.blocks.push(at);
    }
    table
});

/// What the table says of `c` (none past U+FFFF).
#[inline(always)]
fn facts(c: char) -> Option<Facts> {
    let code = u32::from(c) as usize;
    let table = &*TABLE;
    let at = *table.blocks.get(code / BLOCK)? as usize;
    table.entries.get(at + code % BLOCK).copied()
}

/// `c.is_alphanumeric()`, from the table below U+10000.
fn alphanumeric(c: char) -> bool {
    match facts(c) {
        Some(facts) => facts.flags & ALPHANUMERIC != 0,
        None => c.is_alphanumeric(),
    }
}

/// Letters of scripts without case, accents or look-alikes that are written as they are
/// (kana, CJK ideographs, Hangul syllables): the common case of non-Latin text, spared the
/// general path's table look-ups.
fn caseless_letter(c: char) -> bool {
    matches!(u32::from(c), 0x3041..=0x3096 | 0x30a1..=0x30fa | 0x4e00..=0x9fef | 0xac00..=0xd7a3)
}

/// Characters whose compatibility decomposition is read: accented Latin and Greek letters and
/// the compatibility blocks (letter-like symbols, enclosed and fullwidth forms, mathematical
/// alphanumerics, ligatures, superscripts). Other scripts keep their characters, so a Russian
/// `й` or a Hindi vowel sign is not taken apart.
fn decomposed(c: char) -> bool {
    matches!(u32::from(c),
        0x00a0..=0x024f | 0x02b0..=0x02ff | 0x0370..=0x03ff | 0x1d00..=0x1dbf | 0x1e00..=0x1fff | 0x2000..=0x24ff
        | 0x3000 | 0xfb00..=0xfb06 | 0xff01..=0xff5e | 0x1d400..=0x1d7ff | 0x1f100..=0x1f1ff)
}

/// Combining marks that only add accents to Latin, Greek and Cyrillic letters.
fn diacritic(c: char) -> bool {
    is_combining_mark(c) && matches!(u32::from(c), 0x0300..=0x036f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f)
}

/// The Latin letter a lower-case Cyrillic, Greek or Armenian letter is drawn like.
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' | 'ε' => 'e',
        'ɡ' | 'ԍ' => 'g',
        'һ' | 'н' => 'h',
        'і' | 'ї' | 'ι' | 'ӏ' => 'i',
        'ј' | 'ϳ' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'п' | 'η' => 'n',
        'о' | 'ο' | 'օ' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'г' => 'r',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'ս' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'ω' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(text: &str) -> String {
        normalise(text, false).text
    }

    #[test]
    fn folds_what_hides_letters() {
        let cases = [
            ("Ignore   ALL\n\tprevious", "ignore all previous"),
            ("ig\u{200b}no\u{200d}re", "ignore"),
            ("ＩＧＮＯＲＥ", "ignore"),
            ("𝐢𝐠𝐧𝐨𝐫𝐞 ⓘ", "ignore i"),
            ("ïgnörë précédentes", "ignore precedentes"),
            // Cyrillic о and е inside a Latin word.
            ("ign\u{43e}r\u{435} previous", "ignore previous"),
            // A Russian word stays Russian.
            ("Игнорируй предыдущие", "игнорируй предыдущие"),
            ("\u{e0069}\u{e0067}\u{e006e}\u{e006f}\u{e0072}\u{e0065}", "ignore"),
            ("  leading and trailing  ", "leading and trailing"),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input), want, "{input:?}");
        }
    }

    #[test]
    fn the_table_says_what_the_standard_library_says() {
        for c in (0x80..0x10000u32).filter_map(char::from_u32) {
            let info = facts(c).unwrap();
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            let lower: Vec<char> = c.to_lowercase().collect();
            // A lower case further away than an `i16` reaches (Cherokee) is left to the
            // standard library.
            let near = |l: char| (i64::from(u32::from(l)) - i64::from(u32::from(c))).abs() <= i64::from(i16::MAX);
            assert_eq!(info.flags & ONE_LOWER != 0, lower.len() == 1 && near(lower[0]), "{c:?}");
            if let ([l], true) = (&lower[..], info.flags & ONE_LOWER != 0) {
                let l = *l;
                assert_eq!(u32::from(c).wrapping_add_signed(i32::from(info.lower)), u32::from(l), "{c:?}");
                assert_eq!(info.flags & LOWER_ALPHANUMERIC != 0, l.is_alphanumeric(), "{c:?}");
                assert_eq!(info.flags & LOOK_ALIKE != 0, latin_look_alike(l).is_some(), "{c:?}");
            }
        }
        // A look-alike inside a Latin word is folded; a word in one other script is kept.
        assert_eq!(norm("İSTANBUL Ωmega СЛОВО"), "istanbul wmega слово");
    }

    #[test]
    fn caseless_letters_are_letters_without_case() {
        for c in ('\u{3041}'..='\u{d7a3}').filter(|&c| caseless_letter(c)) {
            assert!(c.is_alphanumeric() && c.to_lowercase().eq([c]) && !decomposed(c) && latin_look_alike(c).is_none(), "{c:?}");
        }
    }

    #[test]
    fn origin_points_into_the_input() {
        let input = "ＩG\u{200b}n o\u{43e}";
        let n = normalise(input, true);
        let origin = n.origin.unwrap_or_default();
        assert_eq!(n.text.len(), origin.len());
        assert_eq!(n.text, "ign oo");
        let back: Vec<&str> = n.text.char_indices().map(|(i, _)| &input[origin[i] as usize..]).collect();
        assert!(back[0].starts_with('Ｉ') && back[1].starts_with('G') && back[5].starts_with('\u{43e}'), "{back:?}");
    }
}
