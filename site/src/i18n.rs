//! The explorer's own words, in the page's language.

use amed_model::Lang;

/// Interface text of the explorer.
pub struct Words {
    pub filters: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub sort: &'static str,
    pub newest: &'static str,
    pub oldest: &'static str,
    pub title: &'static str,
    pub clear: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub download: &'static str,
    pub csv: &'static str,
    pub json: &'static str,
    pub results: &'static str,
    pub results_heading: &'static str,
    pub no_results: &'static str,
    pub international: &'static str,
    pub sample: &'static str,
}

/// The words for `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &Words {
            filters: "絞り込み",
            search: "キーワード検索",
            search_hint: "名称・概要を日本語または英語で検索",
            sort: "並び順",
            newest: "新しい順",
            oldest: "古い順",
            title: "名称順",
            clear: "条件をすべて解除",
            from: "開始年",
            to: "終了年",
            download: "表示中のデータをダウンロード",
            csv: "CSV（UTF-8、BOM付き）",
            json: "JSON",
            results: "件",
            results_heading: "検索結果",
            no_results: "条件に一致する記録はありません。条件を減らしてください。",
            international: "国際共同研究あり",
            sample: "サンプルデータ",
        },
        Lang::En => &Words {
            filters: "Filters",
            search: "Search",
            search_hint: "Search names and summaries in English or Japanese",
            sort: "Sort by",
            newest: "Newest first",
            oldest: "Oldest first",
            title: "Name",
            clear: "Clear all filters",
            from: "From year",
            to: "To year",
            download: "Download these results",
            csv: "CSV (UTF-8 with BOM)",
            json: "JSON",
            results: " results",
            results_heading: "Results",
            no_results: "No records match. Try removing a filter.",
            international: "International collaboration",
            sample: "Sample data",
        },
    }
}
