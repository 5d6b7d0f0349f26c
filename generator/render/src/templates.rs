//! The templates, compiled once, the UI words of both languages, and the
//! small view values every template shares (text with its language, dates).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use amed_model::{Lang, PartialDate, Text};
use minijinja::{Environment, UndefinedBehavior};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Every template and the UI words, by name: part of the generator's
/// identity, so a changed template invalidates what was rendered with it.
pub const SOURCES: [(&str, &str); 17] = [
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("result.html", include_str!("../templates/result.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("list.html", include_str!("../templates/list.html")),
    ("record.html", include_str!("../templates/record.html")),
    ("kpis.html", include_str!("../templates/kpis.html")),
    ("policy.html", include_str!("../templates/policy.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("sitemap.html", include_str!("../templates/sitemap.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("feeds.html", include_str!("../templates/feeds.html")),
    (
        "dictionary.html",
        include_str!("../templates/dictionary.html"),
    ),
    ("feed.xml", include_str!("../templates/feed.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    (
        "sitemap-index.xml",
        include_str!("../templates/sitemap-index.xml"),
    ),
    ("ui.toml", amed_model::UI_WORDS),
];

/// The UI words of each language, from `ui.toml`.
pub static UI: LazyLock<HashMap<Lang, BTreeMap<String, String>>> = LazyLock::new(|| {
    let mut all: HashMap<String, BTreeMap<String, String>> =
        toml::from_str(amed_model::UI_WORDS).expect("ui.toml is valid");
    Lang::ALL
        .into_iter()
        .map(|lang| {
            (
                lang,
                all.remove(lang.code()).expect("ui.toml has every language"),
            )
        })
        .collect()
});

/// The UI words of `lang` as one template value, made once: every page
/// receives them, and handing over a shared value costs nothing where
/// converting the map for each of 200,000 pages would cost seconds.
pub fn ui_words(lang: Lang) -> minijinja::Value {
    static WORDS: LazyLock<HashMap<Lang, minijinja::Value>> = LazyLock::new(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| (lang, minijinja::Value::from_object(Words::of(lang))))
            .collect()
    });
    WORDS[&lang].clone()
}

/// The UI words of one language as a template object: a page looks up
/// dozens of words (`page.t.sources`), each found by hashing its name
/// rather than by comparisons down an ordered map of hundreds.
#[derive(Debug)]
struct Words(FxHashMap<&'static str, minijinja::Value>);

impl Words {
    fn of(lang: Lang) -> Words {
        Words(
            UI[&lang]
                .iter()
                .map(|(key, word)| (key.as_str(), minijinja::Value::from(word.as_str())))
                .collect(),
        )
    }
}

impl minijinja::value::Object for Words {
    fn get_value(self: &std::sync::Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        self.0.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        let mut keys: Vec<&'static str> = self.0.keys().copied().collect();
        keys.sort_unstable();
        minijinja::value::Enumerator::Values(keys.into_iter().map(minijinja::Value::from).collect())
    }
}

/// A UI word.
pub fn ui(lang: Lang, key: &str) -> &'static str {
    UI[&lang]
        .get(key)
        .map_or_else(|| panic!("ui.toml lacks {key:?}"), String::as_str)
}

/// The compiled templates.
pub static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(html_formatter);
    for (name, source) in SOURCES.iter().filter(|(name, _)| *name != "ui.toml") {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
    }
    env
});

/// Escapes `& < > " '` in HTML templates. minijinja's default also escapes
/// `/`, which is safe but turns every URL into `&#x2f;` soup.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() != minijinja::AutoEscape::Html || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let owned;
    let text = match value.as_str() {
        Some(s) => s,
        None => {
            owned = value.to_string();
            &owned
        }
    };
    let failed = |_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure);
    let mut done = 0;
    // Bytes, not chars: the five are ASCII, and a scan byte by byte is
    // several times faster than a search for a set of chars.
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[done..i]).map_err(failed)?;
        out.write_str(entity).map_err(failed)?;
        done = i + 1;
    }
    let rest = &text[done..];
    out.write_str(rest).map_err(failed)
}

/// Text in the page's language, with the language it is really in when a
/// translation is missing (`lang="ja"` inside an English page).
#[derive(Serialize)]
pub struct TextView<'a> {
    /// The text.
    pub text: &'a str,
    /// Its language, when not the page's.
    pub lang: Option<&'static str>,
}

/// `t` in `lang`, falling back to Japanese.
pub fn text(t: &Text, lang: Lang) -> TextView<'_> {
    let (s, actual) = t.resolve(lang);
    TextView {
        text: s,
        lang: (actual != lang).then_some(actual.code()),
    }
}

/// A date for `<time datetime>` and for reading.
#[derive(Debug, Serialize, Hash)]
pub struct DateView {
    /// ISO form.
    pub iso: String,
    /// Written out in the page's language.
    pub text: String,
}

/// `d` for a page in `lang`.
pub fn date(d: PartialDate, lang: Lang) -> DateView {
    DateView {
        iso: d.to_string(),
        text: d.format(lang),
    }
}

/// A KPI's "as of" date for readers: a month-end March is also said as
/// the end of the Japanese fiscal year it closes, the way AMED's own
/// material counts (2024-03 → 2023年度末、2024年3月).
pub fn as_of(d: PartialDate, lang: Lang) -> DateView {
    let mut view = date(d, lang);
    if d.month() == Some(3) && d.day().is_none() {
        let fiscal = (d.year() - 1).to_string();
        view.text = ui(lang, "fiscal_year_end")
            .replace("{year}", &fiscal)
            .replace("{date}", &view.text);
    }
    view
}

/// `6090` → `6,090`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    /// Every UI word exists in both languages, and each is used: by a
    /// template (`t.key`) or by the renderers' code (`"key"`). A word left
    /// behind by a change would otherwise drift unseen.
    #[test]
    fn every_ui_word_is_in_both_languages_and_used() {
        use amed_model::Lang;
        let keys = |lang: Lang| super::UI[&lang].keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(Lang::Ja), keys(Lang::En), "ui.toml: ja and en differ");
        let templates: String = super::SOURCES
            .iter()
            .filter(|(name, _)| *name != "ui.toml")
            .map(|(_, source)| *source)
            .collect();
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut code: String = std::fs::read_dir(manifest.join("src"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        // The explorer's words are used by the explorer, through its build script.
        code.push_str(&std::fs::read_to_string(manifest.join("../../site/build.rs")).unwrap());
        let unused: Vec<String> = keys(Lang::Ja)
            .into_iter()
            .filter(|k| {
                !templates.contains(&format!("t.{k}")) && !code.contains(&format!("\"{k}\""))
            })
            .collect();
        assert!(unused.is_empty(), "ui.toml words nothing uses: {unused:?}");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(6090), "6,090");
        assert_eq!(thousands(40), "40");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
