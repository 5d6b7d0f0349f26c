//! Dates with the precision the sources give: a year, a month or a day.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Lang;

/// A calendar date known to the year (`2021`), month (`2021-06`) or day
/// (`2021-06-15`). The deck gives approval dates as months, so a day is
/// never made up to fill a full date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a date string was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Format,
    /// A year outside [`PartialDate::YEARS`]: a typo, not a date of
    /// medical research (and, past 9999, not a date feeds can carry).
    Year(u16),
    /// A month outside 1–12.
    Month(u8),
    /// A day that the month does not have.
    Day {
        /// The year of the date.
        year: u16,
        /// The month of the date.
        month: u8,
        /// The day that does not exist.
        day: u8,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => f.write_str("expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
            DateError::Year(y) => write!(
                f,
                "the year {y} is outside {}–{} (a typo?)",
                PartialDate::YEARS.start(),
                PartialDate::YEARS.end()
            ),
            DateError::Month(m) => write!(f, "month {m} does not exist (expected 01–12)"),
            DateError::Day { year, month, day } => write!(
                f,
                "day {day} does not exist in {year}-{month:02} (it has {} days)",
                days_in_month(*year, *month)
            ),
        }
    }
}

impl std::error::Error for DateError {}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(part: &str, len: usize) -> Option<u16> {
    (part.len() == len && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())?
}

impl PartialDate {
    /// The years a date may have.
    pub const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

    /// Days from 1970-01-01 to the first day the date may stand for.
    pub fn first_day_number(&self) -> i64 {
        let (y, m, d) = self.first_day();
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(y) - i64::from(m <= 2), i64::from(m), i64::from(d));
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// A date known to the day; `None` if the day does not exist.
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<PartialDate> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(
            PartialDate {
                year,
                month: Some(month),
                day: Some(day),
            },
        )
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, if known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day, if known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// The first day the date may stand for (`2021-06` → 2021-06-01), for
    /// feeds and sitemaps that need a full date.
    pub fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The date as readers of `lang` write it: `2021年6月`, `June 2021`.
    pub fn format(&self, lang: Lang) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match (lang, self.month, self.day) {
            (Lang::Ja, None, _) => format!("{}年", self.year),
            (Lang::Ja, Some(m), None) => format!("{}年{}月", self.year, m),
            (Lang::Ja, Some(m), Some(d)) => format!("{}年{}月{}日", self.year, m, d),
            (Lang::En, None, _) => self.year.to_string(),
            (Lang::En, Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            // British English, as the site's English text: 14 May 2025.
            (Lang::En, Some(m), Some(d)) => {
                format!("{} {} {}", d, MONTHS[m as usize - 1], self.year)
            }
        }
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('-');
        let year = parts
            .next()
            .and_then(|p| digits(p, 4))
            .ok_or(DateError::Format)?;
        let month = match parts.next() {
            None => None,
            Some(p) => Some(digits(p, 2).ok_or(DateError::Format)? as u8),
        };
        let day = match parts.next() {
            None => None,
            Some(p) => Some(digits(p, 2).ok_or(DateError::Format)? as u8),
        };
        if parts.next().is_some() {
            return Err(DateError::Format);
        }
        if !PartialDate::YEARS.contains(&year) {
            return Err(DateError::Year(year));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError::Month(m));
        }
        if let (Some(m), Some(d)) = (month, day)
            && (d == 0 || d > days_in_month(year, m))
        {
            return Err(DateError::Day {
                year,
                month: m,
                day: d,
            });
        }
        Ok(PartialDate { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    /// ISO 8601 at the known precision: `2021`, `2021-06`, `2021-06-15`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_plausible_and_days_are_counted_from_1970() {
        assert_eq!("0000".parse::<PartialDate>(), Err(DateError::Year(0)));
        assert_eq!(
            "9999-12-31".parse::<PartialDate>(),
            Err(DateError::Year(9999))
        );
        assert!("2100-12-31".parse::<PartialDate>().is_ok());
        let day = |s: &str| s.parse::<PartialDate>().unwrap().first_day_number();
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(day("2000-03-01"), 11_017);
        assert_eq!(day("2025-05"), 20_209);
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!("2021".parse::<PartialDate>().unwrap().to_string(), "2021");
        assert_eq!(
            "2021-06".parse::<PartialDate>().unwrap().to_string(),
            "2021-06"
        );
        assert_eq!(
            "2024-02-29".parse::<PartialDate>().unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!("2023-13".parse::<PartialDate>(), Err(DateError::Month(13)));
        assert_eq!(
            "2023-02-29".parse::<PartialDate>(),
            Err(DateError::Day {
                year: 2023,
                month: 2,
                day: 29
            })
        );
        assert_eq!("2023-6".parse::<PartialDate>(), Err(DateError::Format));
        assert_eq!("June 2023".parse::<PartialDate>(), Err(DateError::Format));
    }

    #[test]
    fn month_precision_sorts_before_days_of_that_month() {
        let month: PartialDate = "2021-06".parse().unwrap();
        let day: PartialDate = "2021-06-01".parse().unwrap();
        assert!(month < day);
        assert!(day < "2021-07".parse().unwrap());
    }

    #[test]
    fn formats_for_readers() {
        let d: PartialDate = "2022-09".parse().unwrap();
        assert_eq!(d.format(Lang::Ja), "2022年9月");
        assert_eq!(d.format(Lang::En), "September 2022");
        let d: PartialDate = "2025-05-14".parse().unwrap();
        assert_eq!(d.format(Lang::Ja), "2025年5月14日");
        assert_eq!(d.format(Lang::En), "14 May 2025");
    }
}
