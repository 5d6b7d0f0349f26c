//! Reading one cell as the value its field takes, forgiving what
//! spreadsheets do to values: stray spaces, full-width digits, dates
//! stored as numbers or written `2021/6/1` or `令和3年6月`, `6,090`,
//! `はい`/`○` for yes, term names instead of keys. What cannot be read is
//! a message for the cell's place, saying what was expected.

use std::collections::HashMap;

use amed_model::{Collection, KpiGroup, Lang, TaxonomyKind};

use super::mapping::{FieldKind, Vocabulary};
use super::sheet::Value;
use crate::load::RawTaxonomies;

/// A cell read as its field's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    /// Text, a date or a key.
    Str(String),
    /// Keys or ids.
    Strs(Vec<String>),
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(u64),
    /// `(date, kind)` of each milestone.
    Milestones(Vec<(String, String)>),
    /// Each source's parts, by name.
    Sources(Vec<Vec<(&'static str, String)>>),
}

/// Each vocabulary's words (keys and names, folded) and the key each
/// stands for.
#[derive(Debug, Default)]
pub struct Vocabularies {
    words: HashMap<(VocabularyId, String), String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum VocabularyId {
    Taxonomy(&'static str),
    KpiGroup,
    Collection,
}

fn id(vocabulary: Vocabulary) -> VocabularyId {
    match vocabulary {
        Vocabulary::Taxonomy(kind) => VocabularyId::Taxonomy(kind.table()),
        Vocabulary::KpiGroup => VocabularyId::KpiGroup,
        Vocabulary::Collection => VocabularyId::Collection,
    }
}

/// How a word is compared: half-width, lower case, single spaces.
fn fold(word: &str) -> String {
    half_width(word)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Vocabularies {
    /// The words of `taxonomies` (if they could be read) and the fixed
    /// vocabularies.
    pub fn new(taxonomies: Option<&RawTaxonomies>) -> Vocabularies {
        let terms = taxonomies
            .into_iter()
            .flatten()
            .filter_map(|(table, terms)| {
                let kind = TaxonomyKind::from_table(table)?;
                Some(terms.get_ref().iter().map(move |(key, term)| {
                    let term = term.get_ref();
                    (kind, key.as_str(), [term.ja.as_str(), term.en.as_str()])
                }))
            });
        Vocabularies::of(terms.flatten())
    }

    /// The words of checked `taxonomies` and the fixed vocabularies.
    pub fn from_checked(taxonomies: &amed_model::Taxonomies) -> Vocabularies {
        let terms = TaxonomyKind::ALL.iter().flat_map(|&kind| {
            taxonomies.terms(kind).iter().map(move |t| {
                (
                    kind,
                    t.key.as_str(),
                    [t.label.ja.as_str(), t.label.get(Lang::En)],
                )
            })
        });
        Vocabularies::of(terms)
    }

    fn of<'a>(terms: impl Iterator<Item = (TaxonomyKind, &'a str, [&'a str; 2])>) -> Vocabularies {
        let mut words = HashMap::new();
        let mut add = |vocabulary: VocabularyId, key: &str, names: &[&str]| {
            for word in std::iter::once(key).chain(names.iter().copied()) {
                words
                    .entry((vocabulary, fold(word)))
                    .or_insert_with(|| key.to_string());
            }
        };
        for (kind, key, names) in terms {
            add(VocabularyId::Taxonomy(kind.table()), key, &names);
        }
        for group in KpiGroup::ALL {
            add(
                VocabularyId::KpiGroup,
                group.key(),
                &[group.label(Lang::Ja), group.label(Lang::En)],
            );
        }
        for collection in Collection::ALL {
            add(VocabularyId::Collection, collection.dir(), &[]);
        }
        Vocabularies { words }
    }

    /// A key of `vocabulary` (the least, for a stable choice), if it has any.
    pub fn any_key(&self, vocabulary: Vocabulary) -> Option<String> {
        let wanted = id(vocabulary);
        self.words
            .iter()
            .filter(|((v, _), _)| *v == wanted)
            .map(|(_, key)| key)
            .min()
            .cloned()
    }

    /// The key `word` stands for; `word` itself when it is none (the
    /// check of the record then says what was expected).
    fn key(&self, vocabulary: Vocabulary, word: &str) -> String {
        self.words
            .get(&(id(vocabulary), fold(word)))
            .cloned()
            .unwrap_or_else(|| word.to_string())
    }
}

/// Full-width letters, digits and signs as their ASCII forms, the
/// ideographic space as a space: how Japanese input methods write them.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Reads `value` as a cell of a field of `kind`: `Ok(None)` when it is
/// empty, `Err(what was expected)` when it cannot be read.
pub fn read(
    kind: FieldKind,
    value: &Value,
    separator: &str,
    vocabularies: &Vocabularies,
) -> Result<Option<Typed>, String> {
    if let Value::Error(error) = value {
        return Err(format!(
            "the cell shows the error {error}: correct its formula or type the value"
        ));
    }
    let text = match value {
        Value::Text(t) => t.trim_matches(|c: char| c.is_whitespace()).to_string(),
        Value::List(items) => items.join(separator),
        other => String::new() + &plain(other),
    };
    if text.is_empty() && !matches!(value, Value::Bool(_)) {
        return Ok(None);
    }
    let separator = half_width(separator);
    let separator = separator.as_str();
    let list = |text: &str| -> Vec<String> {
        half_width(text)
            .split(separator)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Some(match kind {
        FieldKind::Id => Typed::Str(half_width(&text).trim().to_string()),
        FieldKind::Text => Typed::Str(text),
        FieldKind::Body => Typed::Str(match value {
            Value::Text(t) => t.trim_end().to_string(),
            _ => text,
        }),
        FieldKind::Bool => Typed::Bool(match value {
            Value::Bool(b) => *b,
            Value::Number(n) if *n == 1.0 || *n == 0.0 => *n == 1.0,
            _ => yes_no(&text)?,
        }),
        FieldKind::Date => Typed::Str(match value {
            Value::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Value::Number(n) => serial_date(*n)?,
            _ => date(&text),
        }),
        FieldKind::Integer => Typed::Int(match value {
            Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 1e15 => *n as u64,
            _ => integer(&text)?,
        }),
        FieldKind::Term(vocabulary) => Typed::Str(vocabularies.key(vocabulary, &text)),
        FieldKind::Terms(vocabulary) => Typed::Strs(
            list(&text)
                .iter()
                .map(|w| vocabularies.key(vocabulary, w))
                .collect(),
        ),
        FieldKind::Ids => Typed::Strs(list(&text)),
        FieldKind::Milestones => Typed::Milestones(
            list(&text)
                .iter()
                .map(|m| milestone(m, vocabularies))
                .collect::<Result<_, _>>()?,
        ),
        FieldKind::Sources => Typed::Sources(
            text.split(" | ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(source)
                .collect::<Result<_, _>>()?,
        ),
    }))
}

/// A non-text value as text.
fn plain(value: &Value) -> String {
    match value {
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Value::Text(t) | Value::Error(t) => t.clone(),
        Value::List(items) => items.join(";"),
    }
}

fn yes_no(text: &str) -> Result<bool, String> {
    match fold(text).as_str() {
        "yes" | "y" | "true" | "1" | "はい" | "○" | "◯" | "〇" | "有" | "あり" => {
            Ok(true)
        }
        "no" | "n" | "false" | "0" | "いいえ" | "×" | "✕" | "無" | "なし" | "記載なし" => {
            Ok(false)
        }
        _ => Err(format!(
            "{text:?} is not yes or no (expected yes/no, true/false, はい/いいえ, ○/× or 1/0)"
        )),
    }
}

fn integer(text: &str) -> Result<u64, String> {
    let digits: String = half_width(text)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    digits
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number (expected digits, such as 6090)"))
}

/// A date an editor wrote, as the portal writes it (`2021-06-01`,
/// `2021-06`, `2021`): `2021/6/1`, `2021.6.1`, `2021年6月1日`, `令和3年6月`
/// and full-width digits are read; anything else is left as written, for
/// the record's check to explain.
pub fn date(text: &str) -> String {
    let text = half_width(text).trim().to_string();
    // A date cell with a time of day (ODS writes 2024-03-31T10:30:00).
    let text = match text.split_once('T') {
        Some((day, time)) if time.starts_with(|c: char| c.is_ascii_digit()) => day.to_string(),
        _ => text,
    };
    let eras = [("令和", 2018), ("平成", 1988), ("昭和", 1925)];
    let (base, rest) = eras
        .iter()
        .find_map(|(era, base)| text.strip_prefix(era).map(|rest| (*base, rest)))
        .unwrap_or((0, text.as_str()));
    let rest = rest.replacen("元年", "1年", 1);
    let parts: Vec<&str> = rest
        .split(['/', '.', '-', '年', '月', '日'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match numbers.as_deref() {
        Some([y, rest @ ..]) if rest.len() <= 2 && (base > 0 || parts[0].len() == 4) => {
            let year = y + base;
            match rest {
                [] => format!("{year:04}"),
                [m] => format!("{year:04}-{m:02}"),
                [m, d] => format!("{year:04}-{m:02}-{d:02}"),
                _ => text,
            }
        }
        _ => text,
    }
}

/// A number in a date column: a year (`2021`), or a date Excel stored as
/// its serial number of days.
fn serial_date(n: f64) -> Result<String, String> {
    if n.fract() != 0.0 || n < 1.0 {
        return Err(format!(
            "{n} is not a date (expected 2021-06-01, 2021-06 or 2021, or a date cell)"
        ));
    }
    let n = n as i64;
    if (1900..=2100).contains(&n) {
        return Ok(n.to_string());
    }
    // Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that
    // never was: from day 61 on, day 0 is 1899-12-30.
    let days_from_epoch = if n >= 61 { n - 25569 } else { n - 25568 };
    let (y, m, d) = civil_from_days(days_from_epoch);
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// The date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2021-06 conditional-approval`: a date, a space, a kind.
fn milestone(text: &str, vocabularies: &Vocabularies) -> Result<(String, String), String> {
    let (when, kind) = text.split_once(' ').ok_or_else(|| {
        format!(
            "{text:?} is not a milestone (expected a date, a space and its kind: 2021-06 approval)"
        )
    })?;
    Ok((
        date(when),
        vocabularies.key(Vocabulary::Taxonomy(TaxonomyKind::Milestone), kind.trim()),
    ))
}

/// One source in the portal's one-cell form (as its CSV writes it):
/// `publisher (publisher_en)「title」(title_en) date, page (page_en) <url>`,
/// the title in 「」 for a Japanese source and in “” for an English one.
pub fn source(text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let bad = || {
        format!(
            "cannot read the source {text:?}: expected publisher「title」date, page <URL> (sources separated by \" | \")"
        )
    };
    let (open, close, lang) = match (text.find('「'), text.find('“')) {
        (Some(j), Some(e)) if e < j => ('“', '”', "en"),
        (Some(_), _) => ('「', '」', "ja"),
        (None, Some(_)) => ('“', '”', "en"),
        (None, None) => return Err(bad()),
    };
    let start = text.find(open).ok_or_else(bad)?;
    let mut parts: Vec<(&'static str, String)> = vec![];
    let (publisher, publisher_en) = glossed(text[..start].trim());
    let after_open = start + open.len_utf8();
    // The title ends at the closing mark followed by a date.
    let (title, rest) = text[after_open..]
        .match_indices(close)
        .find_map(|(at, _)| {
            let rest = &text[after_open + at + close.len_utf8()..];
            let (_, after_gloss) = leading_gloss(rest);
            starts_with_date(after_gloss.trim_start())
                .then(|| (&text[after_open..after_open + at], rest))
        })
        .ok_or_else(bad)?;
    let (title_en, rest) = leading_gloss(rest);
    let rest = rest.trim_start();
    let date_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(rest.len());
    let (when, rest) = rest.split_at(date_end);
    let (rest, url) = match rest.rfind(" <") {
        Some(at) if rest.ends_with('>') => (&rest[..at], Some(&rest[at + 2..rest.len() - 1])),
        _ => (rest, None),
    };
    let rest = rest.trim();
    let (page, page_en) = match rest.strip_prefix(',') {
        Some(page) => glossed(page.trim()),
        None if rest.is_empty() => (None, None),
        None => return Err(bad()),
    };
    parts.push(("title", title.to_string()));
    parts.push(("date", when.to_string()));
    let optional = [
        ("publisher", publisher),
        ("publisher_en", publisher_en),
        ("title_en", title_en),
        ("page", page),
        ("page_en", page_en),
        ("url", url),
    ];
    for (name, value) in optional {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            parts.push((name, value.to_string()));
        }
    }
    if lang == "en" {
        parts.push(("lang", "en".into()));
    }
    Ok(parts)
}

/// `name［gloss］` as `(name, gloss)`; `(text, None)` without a gloss.
fn glossed(text: &str) -> (Option<&str>, Option<&str>) {
    if text.is_empty() {
        return (None, None);
    }
    match text.strip_suffix('］').and_then(|t| t.rsplit_once('［')) {
        Some((name, gloss)) => (Some(name.trim()), Some(gloss)),
        None => (Some(text), None),
    }
}

/// A gloss `［…］` at the start of `text`, and what follows it.
fn leading_gloss(text: &str) -> (Option<&str>, &str) {
    match text.strip_prefix('［').and_then(|t| t.split_once('］')) {
        Some((gloss, rest)) => (Some(gloss), rest),
        None => (None, text),
    }
}

/// Whether `text` starts with a date as sources write them (`2025`,
/// `2025-05`, `2025-05-14`), then a space, a comma or the end.
fn starts_with_date(text: &str) -> bool {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(text.len());
    let (date, rest) = text.split_at(end);
    let shape: Vec<usize> = date.split('-').map(str::len).collect();
    matches!(shape.as_slice(), [4] | [4, 2] | [4, 2, 2])
        && (rest.is_empty() || rest.starts_with([' ', ',']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_editors_write_them() {
        for (written, read) in [
            ("2021-06-01", "2021-06-01"),
            ("2021/6/1", "2021-06-01"),
            ("2021.6", "2021-06"),
            ("２０２１年６月１日", "2021-06-01"),
            ("令和3年6月", "2021-06"),
            ("令和元年5月1日", "2019-05-01"),
            ("平成31年4月", "2019-04"),
            (" 2021 ", "2021"),
            ("June 2021", "June 2021"),
        ] {
            assert_eq!(date(written), read, "{written}");
        }
    }

    #[test]
    fn excel_serial_numbers_are_dates_and_small_ones_years() {
        assert_eq!(serial_date(44348.0).unwrap(), "2021-06-01");
        assert_eq!(serial_date(1.0).unwrap(), "1900-01-01");
        assert_eq!(serial_date(2021.0).unwrap(), "2021");
        assert!(serial_date(44348.5).is_err());
    }

    #[test]
    fn cells_are_forgiven_spaces_widths_and_names() {
        let mut raw: RawTaxonomies = Default::default();
        let terms: indexmap::IndexMap<String, toml::Spanned<crate::load::RawTerm>> =
            toml::from_str("[gene-therapy]\nja = \"遺伝子治療\"\nen = \"Gene therapy\"\n").unwrap();
        raw.insert("modality".into(), toml::Spanned::new(0..0, terms));
        let v = Vocabularies::new(Some(&raw));
        let kind = FieldKind::Terms(Vocabulary::Taxonomy(TaxonomyKind::Modality));
        let cell = Value::Text(" 遺伝子治療； gene  therapy;antibody ".into());
        assert_eq!(
            read(kind, &cell, ";", &v).unwrap(),
            Some(Typed::Strs(vec![
                "gene-therapy".into(),
                "gene-therapy".into(),
                "antibody".into()
            ]))
        );
        let int = |t: &str| read(FieldKind::Integer, &Value::Text(t.into()), ";", &v);
        assert_eq!(int("６，０９０").unwrap(), Some(Typed::Int(6090)));
        assert!(int("many").unwrap_err().contains("not a whole number"));
        let yes = |t: &str| read(FieldKind::Bool, &Value::Text(t.into()), ";", &v);
        assert_eq!(yes("○").unwrap(), Some(Typed::Bool(true)));
        assert_eq!(yes("No").unwrap(), Some(Typed::Bool(false)));
        assert_eq!(
            read(FieldKind::Text, &Value::Text(" \u{3000}".into()), ";", &v).unwrap(),
            None
        );
    }

    #[test]
    fn sources_read_back_as_the_portal_writes_them() {
        let cell = "日本医療研究開発機構（AMED）［Japan Agency for Medical Research and Development (AMED)］「第3期の取組の方向性について」［The direction of AMED's third-term initiatives］ 2025-05-14, 薬事承認の事例［Examples of regulatory approvals］ <https://www.amed.go.jp/x.pdf>";
        let parts = source(cell).unwrap();
        assert_eq!(
            parts,
            [
                ("title", "第3期の取組の方向性について".to_string()),
                ("date", "2025-05-14".into()),
                ("publisher", "日本医療研究開発機構（AMED）".into()),
                (
                    "publisher_en",
                    "Japan Agency for Medical Research and Development (AMED)".into()
                ),
                (
                    "title_en",
                    "The direction of AMED's third-term initiatives".into()
                ),
                ("page", "薬事承認の事例".into()),
                ("page_en", "Examples of regulatory approvals".into()),
                ("url", "https://www.amed.go.jp/x.pdf".into()),
            ]
        );
        let english = source("WHO “Report” 2024").unwrap();
        assert_eq!(
            english,
            [
                ("title", "Report".to_string()),
                ("date", "2024".into()),
                ("publisher", "WHO".into()),
                ("lang", "en".into())
            ]
        );
        assert!(source("just a title").is_err());
        // Names ending in parentheses of their own, a title quoting another
        // and starting a word with digits.
        let nested =
            source("厚生労働省 (MHLW)「「中間評価」2023年度版」 2025-05-14, 表 (1)").unwrap();
        assert_eq!(
            nested,
            [
                ("title", "「中間評価」2023年度版".to_string()),
                ("date", "2025-05-14".into()),
                ("publisher", "厚生労働省 (MHLW)".into()),
                ("page", "表 (1)".into()),
            ]
        );
    }
}
