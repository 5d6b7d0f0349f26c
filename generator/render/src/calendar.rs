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

use super::chrome::CalendarLink;
use super::context::Context;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::shared::Shared;
use super::templates::ui;
use super::views::Rows;
use portal_content::error::BuildError;
use portal_content::routes;

/// The calendar of every PPI event dated to the day, in each language.
pub struct Calendar;

impl Family for Calendar {
    const NAME: &'static str = "calendar";
    type Key = Lang;
    type Inputs<'c> = CalendarInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> CalendarInputs<'c> {
        let index = ctx.index(Collection::Ppi);
        let dated: Vec<u32> = index
            .dataset
            .records
            .iter()
            .enumerate()
            .filter(|(_, e)| is_dated(e))
            .map(|(i, _)| i as u32)
            .collect();
        CalendarInputs {
            shared: &ctx.shared,
            lang,
            name: format!(
                "{} — {}",
                ctx.shared.settings.title.get(lang),
                ctx.descriptions.title(index.meta(), lang)
            ),
            events: index.rows(dated),
            content_date: ctx.content_date,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(calendar(&i))
    }
}

/// The calendar of one PPI event dated to the day, beside its page.
pub struct EventCalendar;

impl Family for EventCalendar {
    const NAME: &'static str = "event-calendar";
    /// The event's position in the PPI dataset, and the language.
    type Key = (usize, Lang);
    type Inputs<'c> = CalendarInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(i, lang): &(usize, Lang)) -> CalendarInputs<'c> {
        let index = ctx.index(Collection::Ppi);
        let entry = &index.dataset.records[i];
        let title = entry.title.get(lang);
        CalendarInputs {
            shared: &ctx.shared,
            lang,
            name: if entry.sample {
                super::descriptions::sample_name(lang, title)
            } else {
                title.to_string()
            },
            events: index.rows(vec![i as u32]),
            content_date: ctx.content_date,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(calendar(&i))
    }
}

/// What a calendar reads: its name, its events, the content date (the
/// calendar's time stamp) and the site's address (its events' UIDs).
#[derive(Hash)]
pub struct CalendarInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    name: String,
    events: Rows<'c>,
    content_date: Option<PartialDate>,
}

/// The calendar jobs in `lang`: the calendar of every event, and one
/// per event dated to the day.
pub fn jobs(ctx: &Context<'_>, lang: Lang) -> Vec<Job> {
    let path = format!("{}{}", lang.prefix(), routes::PPI_CALENDAR);
    let mut jobs = vec![Job::of::<Calendar>(ctx, path, lang)];
    let dataset = ctx.dataset(Collection::Ppi);
    for (i, entry) in dataset.records.iter().enumerate() {
        if is_dated(entry) {
            let path = format!("{}{}", lang.prefix(), routes::event_calendar(&entry.path));
            jobs.push(Job::of::<EventCalendar>(ctx, path, (i, lang)));
        }
    }
    jobs
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
            href: ctx.shared.site.href(lang, routes::PPI_CALENDAR),
            label: ui(
                lang,
                if ctx
                    .descriptions
                    .all_samples(ctx.index(Collection::Ppi).meta())
                {
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

/// The calendar of `i`'s events.
fn calendar(i: &CalendarInputs<'_>) -> String {
    // The same for every event: the content date, and the host UIDs are of.
    let stamp = i
        .content_date
        .map(|d| format!("{}T000000Z", ymd(d.first_day())))
        .unwrap_or_else(|| "19700101T000000Z".into());
    let site = &i.shared.site;
    let host = site
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
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&i.name)));
    for entry in i.events.entries() {
        event(&mut out, site, i.lang, entry, (&stamp, host));
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// Appends the VEVENT of `entry`, a PPI record dated to the day.
/// `(stamp, host)`: the calendar's DTSTAMP and the host its UIDs are of.
fn event(
    out: &mut String,
    site: &routes::Site,
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
    line(out, &format!("URL:{}", site.url(lang, &entry.path)));
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
