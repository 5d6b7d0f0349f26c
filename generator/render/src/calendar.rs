//! The iCalendar files of PPI events (RFC 5545), per language, so readers
//! can add patient and public involvement events to their calendars: one
//! of every event, and one per event beside its page ("add to calendar").
//! Only events dated to the day are offered: one known only to the month
//! or year would sit in a calendar as a month- or year-long event.
//!
//! Written by hand: the format needs a few lines (escaping, folding at 75
//! octets, CRLF), and the crates that do it pull in a date-time library
//! for what are whole-day events here.

use amed_model::{Collection, Entry, Lang, PartialDate};

use super::templates::ui;
use super::{Context, Job, Output};
use portal_content::routes;

/// The calendar jobs in `lang`: the calendar of every event, and one
/// per event dated to the day. Their inputs: the PPI records and the
/// content date (the calendars' time stamp).
pub fn jobs(ctx: &Context<'_>, lang: Lang) -> Vec<Job> {
    let index = ctx.index(Collection::Ppi);
    let mut jobs = vec![Job {
        path: format!("{}{}", lang.prefix(), routes::PPI_CALENDAR),
        fingerprint: ctx
            .print("calendar")
            .with(&lang)
            .with(&index.entries)
            .with(&*ctx.descriptions)
            .finish128(),
        output: Output::Calendar(lang),
    }];
    let dataset = ctx.dataset(Collection::Ppi);
    for (i, entry) in dataset.records.iter().enumerate() {
        if !is_dated(entry) {
            continue;
        }
        jobs.push(Job {
            path: format!("{}{}", lang.prefix(), routes::event_calendar(&entry.path)),
            fingerprint: ctx
                .print("event-calendar")
                .with(&lang)
                .with(entry)
                .with(&ctx.content_date)
                .finish128(),
            output: Output::EventCalendar(i, lang),
        });
    }
    jobs
}

/// The link PPI lists give to the calendar of every event.
#[derive(Debug, Hash, serde::Serialize)]
pub struct CalendarLink {
    href: String,
    label: &'static str,
}

/// The link to the calendar of every event, when it holds one; its words
/// say so when every event is a sample.
pub fn link(ctx: &Context<'_>, lang: Lang) -> Option<CalendarLink> {
    let dataset = ctx.dataset(Collection::Ppi);
    dataset
        .records
        .iter()
        .any(|e| is_dated(e))
        .then(|| CalendarLink {
            href: ctx.site.href(lang, routes::PPI_CALENDAR),
            label: ui(
                lang,
                if ctx.descriptions.all_samples(dataset) {
                    "calendar_samples"
                } else {
                    "calendar"
                },
            ),
        })
}

/// Whether a PPI record goes into calendars: dated to the day.
pub fn is_dated(entry: &Entry) -> bool {
    entry.date.is_some_and(|d| d.day().is_some())
}

/// The day after `date`: iCalendar's exclusive end of a whole-day event.
fn end_after(date: PartialDate) -> (u16, u8, u8) {
    let (y, m, d) = date.first_day();
    match PartialDate::ymd(y, m, d + 1) {
        Some(_) => (y, m, d + 1),
        None if m == 12 => (y + 1, 1, 1),
        None => (y, m + 1, 1),
    }
}

fn ymd((y, m, d): (u16, u8, u8)) -> String {
    format!("{y:04}{m:02}{d:02}")
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so no line exceeds 75 octets and no
/// character is split (RFC 5545 §3.1).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The calendar of every event dated to the day, in `lang`.
pub fn render(ctx: &Context<'_>, lang: Lang) -> String {
    let dataset = ctx.dataset(Collection::Ppi);
    let name = format!(
        "{} — {}",
        ctx.lib.site.title.get(lang),
        ctx.descriptions.title(dataset, lang)
    );
    let events = dataset.records.iter().map(|e| &**e).filter(|e| is_dated(e));
    calendar(ctx, lang, &name, events)
}

/// The calendar of the one event at `i` of the PPI dataset, in `lang`.
pub fn render_event(ctx: &Context<'_>, i: usize, lang: Lang) -> String {
    let entry = &ctx.dataset(Collection::Ppi).records[i];
    let title = entry.title.get(lang);
    let name = if entry.sample {
        super::catalog::sample_name(lang, title)
    } else {
        title.to_string()
    };
    calendar(ctx, lang, &name, std::iter::once(&**entry))
}

/// A calendar named `name` of `events`.
fn calendar<'e>(
    ctx: &Context<'_>,
    lang: Lang,
    name: &str,
    events: impl Iterator<Item = &'e Entry>,
) -> String {
    // The same for every event: the content date, and the host UIDs are of.
    let stamp = ctx
        .content_date
        .map(|d| format!("{}T000000Z", ymd(d.first_day())))
        .unwrap_or_else(|| "19700101T000000Z".into());
    let host = ctx
        .site
        .base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("portal");
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//AMED Results Portal//portal//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for entry in events {
        event(&mut out, ctx, lang, entry, (&stamp, host));
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// Appends the VEVENT of `entry`, a PPI record dated to the day.
/// `(stamp, host)`: the calendar's DTSTAMP and the host its UIDs are of.
fn event(
    out: &mut String,
    ctx: &Context<'_>,
    lang: Lang,
    entry: &Entry,
    (stamp, host): (&str, &str),
) {
    let Some(date) = entry.date else { return };
    let mut description = entry.summary.get(lang).to_string();
    if entry.sample {
        description = format!("{} {description}", ui(lang, "sample_badge"));
    }
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:ppi-{}@{host}", entry.id));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(
        out,
        &format!("DTSTART;VALUE=DATE:{}", ymd(date.first_day())),
    );
    line(out, &format!("DTEND;VALUE=DATE:{}", ymd(end_after(date))));
    line(out, &format!("SUMMARY:{}", escape(entry.title.get(lang))));
    line(out, &format!("DESCRIPTION:{}", escape(&description)));
    let cell = |key: &str| {
        entry
            .fields
            .get(key)
            .map(|v| v.to_cell())
            .unwrap_or_default()
    };
    let (english, japanese) = (cell("location_en"), cell("location"));
    // In the calendar's language where the editor gave it, else in
    // Japanese, saying so (RFC 5545 §3.2.10 LANGUAGE).
    let location = match lang {
        Lang::En if !english.is_empty() => Some(("en", english)),
        _ => (!japanese.is_empty()).then_some(("ja", japanese)),
    };
    if let Some((code, location)) = location {
        line(
            out,
            &format!("LOCATION;LANGUAGE={code}:{}", escape(&location)),
        );
    }
    line(out, &format!("URL:{}", ctx.site.url(lang, &entry.path)));
    line(out, "END:VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_day_events_end_the_next_day() {
        let date = |s: &str| s.parse::<PartialDate>().unwrap();
        assert_eq!(end_after(date("2024-02-28")), (2024, 2, 29));
        assert_eq!(end_after(date("2023-02-28")), (2023, 3, 1));
        assert_eq!(end_after(date("2024-12-31")), (2025, 1, 1));
    }

    #[test]
    fn long_lines_fold_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "患者".repeat(40)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "患者".repeat(40))
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
