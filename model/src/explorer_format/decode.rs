//! Reading the explorer's index files in the browser: one small JSON reader
//! written for these types, instead of serde's generic deserializer.
//!
//! The generator writes the files with serde (`serde_json`), and the tests
//! read everything it writes back through [`from_json`]. In the
//! WebAssembly explorer, serde's deserializer cost about a fifth of the
//! bundle: a generic parser, a visitor per type, and float and `Debug`
//! formatting for error messages nobody reads. This reader is one
//! monomorphic parser for what the index holds (objects, arrays, strings,
//! unsigned integers, booleans, `null`); unknown keys are skipped, so a
//! newer generator may add fields within a [`super::FORMAT_VERSION`].

use super::{
    CollectionCore, Doc, DocShard, FormatError, GramBucket, Layout, SearchManifest, Section,
    TitleOrder, deltas,
};
use crate::{Collection, FacetKind, FacetOption, FacetSpec, Lang, PartialDate, Text};

/// How deep skipped values may nest: an index file nests four levels.
const MAX_DEPTH: usize = 32;

/// Decodes an index file of type `T` from its JSON text.
pub fn from_json<T: Decode>(text: &str) -> Result<T, FormatError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = T::decode(&mut reader)?;
    match reader.peek() {
        None => Ok(value),
        Some(_) => Err(reader.error("the end of the file")),
    }
}

/// A type an index file holds.
pub trait Decode: Sized {
    /// Reads one value.
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError>;
}

/// A position in the text of an index file.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, expected: &str) -> FormatError {
        FormatError(format!("byte {}: expected {expected}", self.at))
    }

    /// The next byte that is not whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), FormatError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        let found = self.peek().is_some() && self.bytes[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    /// `null`, consumed; anything else is left.
    fn null(&mut self) -> bool {
        self.keyword("null")
    }

    fn unsigned(&mut self) -> Result<u32, FormatError> {
        self.peek();
        let start = self.at;
        let mut value: u32 = 0;
        while let Some(&b) = self.bytes.get(self.at).filter(|b| b.is_ascii_digit()) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u32::from(b - b'0')))
                .ok_or_else(|| self.error("a number below 2³²"))?;
            self.at += 1;
        }
        let digits = self.at - start;
        let leading_zero = digits > 1 && self.bytes[start] == b'0';
        let fraction = matches!(self.bytes.get(self.at), Some(b'.' | b'e' | b'E'));
        if digits == 0 || leading_zero || fraction {
            self.at = start;
            return Err(self.error("a whole number"));
        }
        Ok(value)
    }

    fn boolean(&mut self) -> Result<bool, FormatError> {
        if self.keyword("true") {
            Ok(true)
        } else if self.keyword("false") {
            Ok(false)
        } else {
            Err(self.error("true or false"))
        }
    }

    fn string(&mut self) -> Result<String, FormatError> {
        self.expect(b'"', "a string")?;
        let mut out = Vec::new();
        loop {
            let plain = self.bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or_else(|| self.error("the end of the string"))?;
            out.extend_from_slice(&self.bytes[self.at..self.at + plain]);
            self.at += plain;
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    // The input is a &str and escapes decode to whole characters.
                    return String::from_utf8(out).map_err(|_| self.error("UTF-8 text"));
                }
                b'\\' => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                _ => return Err(self.error("no control character in a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), FormatError> {
        let simple = match self.bytes.get(self.at) {
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 8,
            Some(b'f') => 12,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                self.at += 1;
                let c = self.code_point()?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            _ => return Err(self.error("an escape sequence")),
        };
        self.at += 1;
        out.push(simple);
        Ok(())
    }

    /// The character of a `\u` escape (the `\u` read), pairing surrogates.
    fn code_point(&mut self) -> Result<char, FormatError> {
        let first = self.hex4()?;
        let unit = if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err(self.error("the second half of a surrogate pair"));
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("the second half of a surrogate pair"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(unit).ok_or_else(|| self.error("a character"))
    }

    fn hex4(&mut self) -> Result<u32, FormatError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("four hexadecimal digits"))?;
        self.at += 4;
        Ok(digits)
    }

    /// Reads `[a, b, …]`, calling `each` for every element.
    fn array(
        &mut self,
        each: &mut dyn FnMut(&mut Self) -> Result<(), FormatError>,
    ) -> Result<(), FormatError> {
        self.expect(b'[', "an array")?;
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            each(self)?;
            if self.eat(b']') {
                return Ok(());
            }
            self.expect(b',', ", or ]")?;
        }
    }

    /// Reads `{"key": value, …}`, calling `each` with every key.
    fn object(
        &mut self,
        each: &mut dyn FnMut(&mut Self, &str) -> Result<(), FormatError>,
    ) -> Result<(), FormatError> {
        self.expect(b'{', "an object")?;
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':', ":")?;
            each(self, &key)?;
            if self.eat(b'}') {
                return Ok(());
            }
            self.expect(b',', ", or }")?;
        }
    }

    /// Skips a value of a key this explorer does not know.
    fn skip(&mut self, depth: usize) -> Result<(), FormatError> {
        if depth > MAX_DEPTH {
            return Err(self.error("values nested less deeply"));
        }
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'[') => self.array(&mut |r| r.skip(depth + 1)),
            Some(b'{') => self.object(&mut |r, _| r.skip(depth + 1)),
            Some(b't' | b'f') => self.boolean().map(drop),
            Some(b'n') if self.null() => Ok(()),
            Some(b'-' | b'0'..=b'9') => {
                let number = self.bytes[self.at..]
                    .iter()
                    .take_while(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .count();
                self.at += number;
                Ok(())
            }
            _ => Err(self.error("a value")),
        }
    }
}

/// A field an object must have.
fn required<T>(value: Option<T>, name: &str) -> Result<T, FormatError> {
    value.ok_or_else(|| FormatError(format!("missing field {name}")))
}

/// Reads an object, `field` taking the keys it knows (returning `false`
/// for others, which are skipped).
fn fields(
    reader: &mut Reader<'_>,
    field: &mut dyn FnMut(&mut Reader<'_>, &str) -> Result<bool, FormatError>,
) -> Result<(), FormatError> {
    reader.object(&mut |r, key| {
        if !field(r, key)? {
            r.skip(0)?;
        }
        Ok(())
    })
}

/// Reads `value` into `slot`.
fn put<T: Decode>(slot: &mut Option<T>, reader: &mut Reader<'_>) -> Result<bool, FormatError> {
    *slot = Some(T::decode(reader)?);
    Ok(true)
}

impl Decode for u32 {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        reader.unsigned()
    }
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        reader.boolean()
    }
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        reader.string()
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        if reader.null() {
            Ok(None)
        } else {
            T::decode(reader).map(Some)
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        let mut items = Vec::new();
        reader.array(&mut |r| {
            items.push(T::decode(r)?);
            Ok(())
        })?;
        Ok(items)
    }
}

/// A unit enum written as one of its names.
fn named<T: Copy>(
    reader: &mut Reader<'_>,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T, FormatError> {
    let at = reader.at;
    let text = reader.string()?;
    all.iter()
        .copied()
        .find(|v| name(*v) == text)
        .ok_or_else(|| {
            reader.at = at;
            reader.error(what)
        })
}

impl Decode for Lang {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        named(reader, &Lang::ALL, Lang::code, "a language")
    }
}

impl Decode for Collection {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        named(reader, &Collection::ALL, Collection::dir, "a collection")
    }
}

impl Decode for FacetKind {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        named(
            reader,
            &[FacetKind::Terms, FacetKind::Timing],
            |k| match k {
                FacetKind::Terms => "terms",
                FacetKind::Timing => "timing",
            },
            "a facet kind",
        )
    }
}

impl Decode for PartialDate {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        let at = reader.at;
        let text = reader.string()?;
        text.parse().map_err(|_| {
            reader.at = at;
            reader.error("a date")
        })
    }
}

/// Implements [`Decode`] for a struct read from a JSON object: the fields
/// listed first must be there; `optional` ones take their default when
/// absent or `null`.
macro_rules! decode_object {
    ($type:ident { $($field:ident),* $(,)? } $(optional { $($opt:ident),* $(,)? })?) => {
        impl Decode for $type {
            fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
                $(let mut $field = None;)*
                $($(let mut $opt = None;)*)?
                fields(reader, &mut |r, key| match key {
                    $(stringify!($field) => put(&mut $field, r),)*
                    $($(stringify!($opt) => put(&mut $opt, r),)*)?
                    _ => Ok(false),
                })?;
                Ok($type {
                    $($field: required($field, stringify!($field))?,)*
                    $($($opt: $opt.unwrap_or_default(),)*)?
                })
            }
        }
    };
}

decode_object!(Text { ja } optional { en });
decode_object!(FacetOption { key, label } optional { synonyms });
decode_object!(FacetSpec {
    id,
    label,
    kind,
    options
});
decode_object!(Layout {
    shard_size,
    range_size,
    buckets
});
decode_object!(TitleOrder {
    version,
    collection,
    lang,
    order
});
decode_object!(Doc { path, title, summary } optional { title_lang, summary_lang, date, sample });
decode_object!(DocShard {
    version,
    lang,
    first,
    docs
});
decode_object!(Section {
    collection,
    label,
    list_path,
    first,
    count
});
decode_object!(SearchManifest {
    version,
    layout,
    sections
} optional { samples });

impl Decode for CollectionCore {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        let (mut version, mut collection, mut lang, mut facets) = (None, None, None, None);
        let (mut count, mut first_doc, mut layout, mut dates) = (None, None, None, None);
        let mut members: Option<Vec<Vec<Vec<u32>>>> = None;
        fields(reader, &mut |r, key| match key {
            "version" => put(&mut version, r),
            "collection" => put(&mut collection, r),
            "lang" => put(&mut lang, r),
            "facets" => put(&mut facets, r),
            "count" => put(&mut count, r),
            "first_doc" => put(&mut first_doc, r),
            "layout" => put(&mut layout, r),
            "dates" => put(&mut dates, r),
            "members" => put(&mut members, r),
            _ => Ok(false),
        })?;
        let members = required(members, "members")?
            .into_iter()
            .map(|options| options.into_iter().map(deltas::decode).collect())
            .collect();
        Ok(CollectionCore {
            version: required(version, "version")?,
            collection: required(collection, "collection")?,
            lang: required(lang, "lang")?,
            facets: required(facets, "facets")?,
            count: required(count, "count")?,
            first_doc: required(first_doc, "first_doc")?,
            layout: required(layout, "layout")?,
            dates: required(dates, "dates")?,
            members,
        })
    }
}

/// One gram of a bucket: `[text, title documents, other documents]`.
struct GramPostings(String, Vec<u32>, Vec<u32>);

impl Decode for GramPostings {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        reader.expect(b'[', "[gram, title documents, other documents]")?;
        let text = reader.string()?;
        reader.expect(b',', ",")?;
        let title = Vec::decode(reader)?;
        reader.expect(b',', ",")?;
        let body = Vec::decode(reader)?;
        reader.expect(b']', "]")?;
        Ok(GramPostings(text, title, body))
    }
}

impl Decode for GramBucket {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, FormatError> {
        let (mut version, mut bucket, mut grams) = (None, None, None::<Vec<GramPostings>>);
        fields(reader, &mut |r, key| match key {
            "version" => put(&mut version, r),
            "bucket" => put(&mut bucket, r),
            "grams" => put(&mut grams, r),
            _ => Ok(false),
        })?;
        Ok(GramBucket {
            version: required(version, "version")?,
            bucket: required(bucket, "bucket")?,
            grams: required(grams, "grams")?
                .into_iter()
                .map(|GramPostings(text, title, body)| (text, title, body))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str) -> Doc {
        Doc {
            path: "approvals/a/".into(),
            title: title.into(),
            title_lang: Some(Lang::Ja),
            summary: "概要".into(),
            summary_lang: None,
            date: "2024-03".parse().ok(),
            sample: true,
        }
    }

    #[test]
    fn reads_what_serde_writes() {
        let hostile = "引用 \"quoted\" \\ back/slash\n\t\u{1} \u{7f} 😀 \u{2028}";
        let shard = DocShard {
            version: super::super::FORMAT_VERSION,
            lang: Lang::En,
            first: 4_294_967_295,
            docs: vec![doc(hostile), doc("")],
        };
        for json in [
            serde_json::to_string(&shard).unwrap(),
            serde_json::to_string_pretty(&shard).unwrap(),
        ] {
            assert_eq!(from_json::<DocShard>(&json), Ok(shard.clone()));
        }
    }

    #[test]
    fn reads_escapes_serde_does_not_write() {
        let json = r#"{"path":"\u0070\/","title":"\ud83d\ude00\u3042","summary":"\b\f\r","sample":false,"date":null}"#;
        let doc = from_json::<Doc>(json).unwrap();
        assert_eq!(doc.path, "p/");
        assert_eq!(doc.title, "😀あ");
        assert_eq!(doc.summary, "\u{8}\u{c}\r");
        assert_eq!(doc.date, None);
    }

    #[test]
    fn skips_fields_it_does_not_know() {
        let json = r#"{"later":{"a":[1,-2.5e3,true,null,"x",{}]},"shard_size":128,"range_size":8192,"buckets":4}"#;
        assert_eq!(
            from_json::<Layout>(json),
            Ok(Layout {
                shard_size: 128,
                range_size: 8192,
                buckets: 4
            })
        );
    }

    #[test]
    fn says_where_a_file_goes_wrong() {
        let layout = |tail: &str| from_json::<Layout>(&format!("{{\"shard_size\":{tail}"));
        let cases = [
            (layout("1.5}"), "byte 14: expected a whole number"),
            (layout("-1}"), "byte 14: expected a whole number"),
            (layout("012}"), "byte 14: expected a whole number"),
            (
                layout("4294967296}"),
                "byte 23: expected a number below 2³²",
            ),
            (layout("1"), "byte 15: expected , or }"),
            (
                layout("1,\"range_size\":1,\"buckets\":1} x"),
                "byte 44: expected the end of the file",
            ),
            (layout("1}"), "missing field range_size"),
        ];
        for (result, message) in cases {
            assert_eq!(result, Err(FormatError(message.into())));
        }
        for (json, message) in [
            (
                "\"a\u{1}\"",
                "byte 2: expected no control character in a string",
            ),
            (
                "\"\\ud800x\"",
                "byte 7: expected the second half of a surrogate pair",
            ),
            ("\"\\q\"", "byte 2: expected an escape sequence"),
            ("\"open", "byte 1: expected the end of the string"),
        ] {
            assert_eq!(
                from_json::<String>(json),
                Err(FormatError(message.into())),
                "{json}"
            );
        }
        assert_eq!(
            from_json::<Lang>("\"fr\""),
            Err(FormatError("byte 0: expected a language".into()))
        );
    }

    #[test]
    fn deep_unknown_values_end_in_an_error_not_a_crash() {
        let deep = format!("{{\"x\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            from_json::<Layout>(&deep),
            Err(FormatError(
                "byte 38: expected values nested less deeply".into()
            ))
        );
    }
}
