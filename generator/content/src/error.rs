//! Errors: typed here, rendered for humans by the CLI.
//!
//! Content problems are [`Diagnostic`]s that point at a file, line and
//! column; a build collects all of them before failing, so an editor fixes
//! every problem after one run.

use std::fmt;
use std::path::PathBuf;

/// One problem in the content, located in its file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the user named the content folder (`content/approvals/x.md`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// Where in the file, when lines and columns are not how its editor
    /// finds a place: a spreadsheet's cell (`sheet 承認一覧, cell D12`).
    /// `line` and `column` are then the cell's row and column numbers.
    pub place: Option<String>,
}

impl Diagnostic {
    /// Where the problem is, as its editor finds it:
    /// `content/seeds/seeds.csv:12:5` or
    /// `content/approvals/approvals.xlsx: sheet 承認一覧, cell D12`.
    pub fn location(&self) -> String {
        match &self.place {
            Some(place) => format!("{}: {place}", self.file),
            None => format!("{}:{}:{}", self.file, self.line, self.column),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where a problem is: file, line and column, found when the file was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    /// The file, as shown to users.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// A spreadsheet's cell, as [`Diagnostic::place`].
    pub place: Option<String>,
}

impl Spot {
    /// The spot at `line` and `column` of `file`.
    pub fn at(file: impl Into<String>, line: usize, column: usize) -> Spot {
        Spot {
            file: file.into(),
            line,
            column,
            place: None,
        }
    }

    /// The problem `message` at this spot.
    pub fn problem(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            message: message.into(),
            place: self.place.clone(),
        }
    }
}

/// A table a record was read from: its file and, in a workbook, the sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableName {
    /// The file, as shown to users.
    pub file: String,
    /// The sheet of a workbook; `None` for CSV and JSON Lines.
    pub sheet: Option<String>,
}

/// Where a line of a record's text came from, when the text was put
/// together from a table row (its fields as TOML, one line per cell, then
/// its body): problems found in it are shown where the editor finds them.
#[derive(Clone, Debug)]
pub enum LineOrigin {
    /// A cell of a table.
    Cell {
        /// The table.
        table: std::sync::Arc<TableName>,
        /// Its row as the editor sees it (1-based).
        row: u32,
        /// Its column as the editor sees it (1-based).
        column: u32,
    },
    /// A Markdown file holding the body: line `first` of the text is the
    /// file's line `first_in_file`.
    File {
        /// The file, as shown to users.
        file: std::sync::Arc<str>,
        /// The text's line where the file's lines start.
        first: usize,
        /// The file's line that is.
        first_in_file: usize,
    },
}

impl LineOrigin {
    /// Where `line` and `column` of the text are.
    pub fn spot(&self, line: usize, column: usize) -> Spot {
        match self {
            LineOrigin::Cell { table, row, column } => Spot {
                file: table.file.clone(),
                line: *row as usize,
                column: *column as usize,
                place: table
                    .sheet
                    .as_ref()
                    .map(|sheet| format!("sheet {sheet}, cell {}{row}", column_letters(*column))),
            },
            LineOrigin::File {
                file,
                first,
                first_in_file,
            } => Spot::at(
                file.to_string(),
                line.saturating_sub(*first) + first_in_file,
                column,
            ),
        }
    }
}

/// A spreadsheet's name of column `n` (1-based): `A`, `Z`, `AA`, `XFD`.
pub fn column_letters(mut n: u32) -> String {
    let mut letters = vec![];
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Where each line of a text starts, and how many characters come before
/// every 256th byte, so that locating a position costs a binary search and
/// a count of at most 256 bytes, however many problems share one line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of each line's start.
    starts: Vec<usize>,
    /// `(byte offset, characters before it)` at every line start and every
    /// [`LineIndex::STRIDE`] bytes in between, in order.
    marks: Vec<(usize, usize)>,
}

impl LineIndex {
    /// Bytes between two marks at most (plus one character).
    const STRIDE: usize = 256;

    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let mut marks = vec![(0, 0)];
        let mut chars = 0;
        let mut last = 0;
        for (at, byte) in text.bytes().enumerate() {
            // A byte that is not a UTF-8 continuation starts a character.
            let starts_char = (byte as i8) >= -0x40;
            if starts_char && at - last >= Self::STRIDE {
                marks.push((at, chars));
                last = at;
            }
            if starts_char {
                chars += 1;
            }
            if byte == b'\n' {
                starts.push(at + 1);
                marks.push((at + 1, chars));
                last = at + 1;
            }
        }
        LineIndex { starts, marks }
    }

    /// The 1-based line and column (in characters) of byte `offset` of `text`.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let chars_at = |byte: usize| {
            let mark = self.marks[self.marks.partition_point(|&(at, _)| at <= byte) - 1];
            mark.1 + text[mark.0..byte].chars().count()
        };
        (line, chars_at(offset) - chars_at(self.starts[line - 1]) + 1)
    }
}

/// Problems collected while checking content.
#[derive(Debug, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem at byte `offset` of `text`, the content of `file`.
    /// For many problems in one text, locate them with a [`LineIndex`].
    pub fn at(&mut self, file: &str, text: &str, offset: usize, message: impl Into<String>) {
        let (line, column) = position(text, offset);
        self.0.push(Diagnostic {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            place: None,
        });
    }

    /// Records a located problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// The problems, sorted by file and position, for stable output.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}

/// Why a build or check failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content has problems; nothing was written.
    #[error("{} problem{} found in the content", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Content(Vec<Diagnostic>),
    /// A build for deployment whose links would point at this machine.
    #[error(
        "the site would link to {0}, an address on this machine: set base_url in content/site.toml to the address the site is published at, or pass --base-url https://…/ (portal serve previews without it)"
    )]
    LocalBaseUrl(String),
    /// A build for deployment of a site whose address is still the
    /// placeholder `portal init` wrote.
    #[error(
        "the site's address is still the placeholder {0}: set base_url in content/site.toml to the address the site is published at, or pass --base-url https://…/"
    )]
    PlaceholderBaseUrl(String),
    /// A file or folder could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The output folder holds a build that was committed but not
    /// finished, and finishing it failed: nothing else can happen until it
    /// is finished or the folder is removed.
    #[error(
        "{out} holds a build that was interrupted after it was committed, and every portal command finishes such a build first; finishing it failed: {cause}. Remove what is in the way (or fix the permissions or free disk space) and run portal again, or delete {out} and the files {siblings} beside it to start afresh with a full build",
        out = .out.display(),
        siblings = .siblings
    )]
    Interrupted {
        /// The output folder.
        out: PathBuf,
        /// The names of its journal, manifest, staging and lock files.
        siblings: String,
        /// Why finishing failed.
        cause: Box<BuildError>,
    },
    /// A template failed to render (a bug in the generator's templates).
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The WebAssembly explorer could not be built.
    #[error("could not build the explorer: {0}")]
    Explorer(String),
}

impl BuildError {
    /// An I/O error while doing `action` on `path`.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> BuildError {
        let path = path.into();
        move |source| BuildError::Io {
            action,
            path,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn line_index_agrees_with_position() {
        let long = "あa".repeat(400);
        let text = &format!("一行目\nタイトル = x\n\n{long}\nlast");
        let index = super::LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.position(text, offset),
                position(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [1, 4, 26, 27, 52, 703, 16384]
            .into_iter()
            .map(super::column_letters)
            .collect();
        assert_eq!(names, ["A", "D", "Z", "AA", "AZ", "AAA", "XFD"]);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "一行目\nタイトル = x";
        assert_eq!(position(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(position(text, x), (2, 8));
    }
}
