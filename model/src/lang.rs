//! Languages of the portal and bilingual text.

use serde::{Deserialize, Serialize};

/// A language the portal is published in. Japanese is the language of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese: the record itself, published at `/`.
    Ja,
    /// English: an optional translation, published under `/en/`.
    En,
}

impl Default for Lang {
    /// Japanese, the language of record.
    fn default() -> Self {
        Lang::Ja
    }
}

impl Lang {
    /// Whether this is Japanese (for `skip_serializing_if`).
    pub fn is_japanese(&self) -> bool {
        *self == Lang::Ja
    }

    /// Both languages, Japanese first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The BCP 47 tag used in `lang` and `hreflang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The URL prefix of the language: empty for Japanese, `en/` for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ja => "",
            Lang::En => "en/",
        }
    }

    /// Parses a language tag such as `ja` or `en-GB`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.split('-').next()?.to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Text in Japanese, with an English translation where one exists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    /// The Japanese text (always present).
    pub ja: String,
    /// The English text, if translated.
    pub en: Option<String>,
}

impl Text {
    /// Text with both languages.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: Some(en.into()),
        }
    }

    /// The text in `lang`, falling back to Japanese where no translation exists.
    pub fn get(&self, lang: Lang) -> &str {
        self.resolve(lang).0
    }

    /// The text in `lang` and the language it is actually in, so a page can
    /// mark untranslated text with `lang="ja"` for screen readers.
    pub fn resolve(&self, lang: Lang) -> (&str, Lang) {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => (en, Lang::En),
            _ => (&self.ja, Lang::Ja),
        }
    }
}
