//! Writing results: text for people, JSON for scripts, and progress bars only for a person
//! watching a terminal.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON.
    pub fn json<T: Serialize>(&self, value: &T) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
        Ok(())
    }

    /// Prints lines of text.
    pub fn text(&self, text: &str) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
        Ok(())
    }

    /// A progress bar over 0 to 100 percent, hidden unless a person is watching a terminal.
    pub fn progress_percent(&self, message: &'static str) -> ProgressBar {
        if !self.watched() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(100).with_message(message);
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}% ({eta} left)") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }

    fn watched(&self) -> bool {
        !self.json && std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
    }

    /// A progress bar over `total` bytes, hidden unless a person is watching a terminal.
    pub fn progress_bytes(&self, total: u64, message: &'static str) -> ProgressBar {
        if !self.watched() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total).with_message(message);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta} left)",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }
}

/// Lays out rows under headers in aligned columns.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_row = |cells: &mut dyn Iterator<Item = &str>| {
        let line: Vec<String> =
            cells.zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    };
    push_row(&mut headers.iter().copied());
    for row in rows {
        push_row(&mut row.iter().map(String::as_str));
    }
    out
}

/// `text` cut to `max` characters, on one line.
pub fn preview(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}
