//! BENCHMARKS.md: the figures of one run as Markdown, each beside its baseline, its ratio and its target.
//!
//! The report is data first ([`Report`], built by the suite) and text second ([`Report::to_markdown`]), so
//! the layout can be tested without running anything.

use std::fmt::Write;

/// Whether a figure meets its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Miss,
    /// A figure given for context, with no target of its own.
    Info,
    /// The figure could not be measured in this run.
    NotMeasured,
}

impl Verdict {
    /// `Pass` when `value >= min`.
    pub fn at_least(value: f64, min: f64) -> Verdict {
        if value >= min {
            Verdict::Pass
        } else {
            Verdict::Miss
        }
    }

    /// `Pass` when `value <= max`.
    pub fn at_most(value: f64, max: f64) -> Verdict {
        if value <= max {
            Verdict::Pass
        } else {
            Verdict::Miss
        }
    }

    /// `Pass` only when every verdict passes.
    pub fn all(verdicts: &[Verdict]) -> Verdict {
        if verdicts.contains(&Verdict::NotMeasured) {
            Verdict::NotMeasured
        } else if verdicts.contains(&Verdict::Miss) {
            Verdict::Miss
        } else {
            Verdict::Pass
        }
    }

    fn text(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Miss => "**MISS**",
            Verdict::Info => "info",
            Verdict::NotMeasured => "not measured",
        }
    }
}

/// One line of a results table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub figure: String,
    pub measured: String,
    pub baseline: String,
    pub ratio: String,
    pub target: String,
    pub verdict: Verdict,
}

/// A group of figures about one target of the issue, with notes below its table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// `(name, value)` lines describing the run: date, commit, machine, load, command.
    pub run: Vec<(String, String)>,
    /// `(name, value)` lines describing the data set.
    pub data: Vec<(String, String)>,
    pub sections: Vec<Section>,
}

impl Report {
    pub fn misses(&self) -> Vec<&Row> {
        self.sections
            .iter()
            .flat_map(|s| &s.rows)
            .filter(|r| r.verdict == Verdict::Miss)
            .collect()
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str("# Benchmarks\n\n");
        out.push_str(
            "The latest figures of the whole-system suite (`bench/run.sh`, which runs `cargo run --release -p callrec-bench --bin bench`).\n\
             Machines are shared and noisy, so every speed is also given as a ratio to a baseline measured in the same run on the same data:\n\
             the *floor* (serde_json parse + per-record zstd level 3 + one blob insert per record into SQLite, one transaction) for ingestion,\n\
             and a bare hyper server answering the very same bytes from memory (`baseline-server`) for reads.\n\n",
        );
        out.push_str("## Run\n\n");
        for (k, v) in &self.run {
            let _ = writeln!(out, "- {k}: {v}");
        }
        out.push_str("\n## Data set\n\n");
        for (k, v) in &self.data {
            let _ = writeln!(out, "- {k}: {v}");
        }
        let misses = self.misses();
        out.push_str("\n## Summary\n\n");
        if misses.is_empty() {
            out.push_str("Every target measured in this run is met.\n");
        } else {
            let _ = writeln!(out, "{} figure(s) miss their target:\n", misses.len());
            for r in misses {
                let _ = writeln!(out, "- {}: {} (target {})", r.figure, r.measured, r.target);
            }
        }
        for section in &self.sections {
            let _ = writeln!(out, "\n## {}\n", section.title);
            out.push_str("| Figure | callrec | Baseline (same run) | Ratio | Target | Result |\n");
            out.push_str("|---|---:|---:|---:|---|---|\n");
            for r in &section.rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(&r.figure),
                    cell(&r.measured),
                    cell(&r.baseline),
                    cell(&r.ratio),
                    cell(&r.target),
                    r.verdict.text()
                );
            }
            if !section.notes.is_empty() {
                out.push('\n');
                for n in &section.notes {
                    let _ = writeln!(out, "- {n}");
                }
            }
        }
        out
    }
}

/// The line after which BENCHMARKS.md holds sections measured by other commands (the store, log and
/// privacy benchmarks, second runs), which a run of the suite keeps as they are.
pub const KEPT_SECTIONS: &str = "<!-- Sections below are measured by other commands, named in each; bench/run.sh keeps them. -->";

/// The suite's report followed by the kept sections of the file it replaces (from [`KEPT_SECTIONS`] on).
pub fn with_kept_sections(report: &str, previous: Option<&str>) -> String {
    let kept = previous
        .and_then(|text| text.find(KEPT_SECTIONS).map(|at| &text[at..]))
        .unwrap_or(KEPT_SECTIONS);
    let mut out = report.trim_end().to_owned();
    out.push_str(
        "

",
    );
    out.push_str(kept.trim_end());
    out.push('\n');
    out
}

/// Keeps a table cell on one line and its pipes literal.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `12345.6` → `12,346`.
pub fn thousands(value: f64) -> String {
    let n = value.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Bytes in the largest unit that keeps the number at least 1.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A ratio as `0.42x`.
pub fn ratio(value: f64) -> String {
    format!("{value:.2}x")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_report_keeps_the_sections_other_commands_measured() {
        let previous = format!(
            "# Benchmarks\n\nold figures\n\n{KEPT_SECTIONS}\n\n## Store backends\n\nkept\n"
        );
        let merged = with_kept_sections("# Benchmarks\n\nnew figures\n", Some(&previous));
        assert_eq!(
            merged,
            format!(
                "# Benchmarks\n\nnew figures\n\n{KEPT_SECTIONS}\n\n## Store backends\n\nkept\n"
            )
        );
        let fresh = with_kept_sections("# Benchmarks\n", None);
        assert_eq!(fresh, format!("# Benchmarks\n\n{KEPT_SECTIONS}\n"));
        let unmarked = with_kept_sections("# New\n", Some("# Old, without the marker\n"));
        assert!(!unmarked.contains("Old"));
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.5), "1,000");
        assert_eq!(thousands(-42000.0), "-42,000");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(4_400_000_000), "4.4 GB");
        assert_eq!(ratio(0.4567), "0.46x");
    }

    #[test]
    fn verdicts() {
        assert_eq!(Verdict::at_least(0.35, 0.35), Verdict::Pass);
        assert_eq!(Verdict::at_least(0.34, 0.35), Verdict::Miss);
        assert_eq!(Verdict::at_most(0.21, 0.2), Verdict::Miss);
        assert_eq!(Verdict::all(&[Verdict::Pass, Verdict::Miss]), Verdict::Miss);
        assert_eq!(
            Verdict::all(&[Verdict::Pass, Verdict::NotMeasured]),
            Verdict::NotMeasured
        );
        assert_eq!(Verdict::all(&[Verdict::Pass, Verdict::Pass]), Verdict::Pass);
    }

    #[test]
    fn markdown_lists_misses_and_escapes_cells() {
        let row = |figure: &str, verdict| Row {
            figure: figure.to_owned(),
            measured: "1 | 2".to_owned(),
            baseline: "3".to_owned(),
            ratio: "0.33x".to_owned(),
            target: "≥ 0.35x".to_owned(),
            verdict,
        };
        let report = Report {
            run: vec![("CPUs".to_owned(), "2".to_owned())],
            data: vec![],
            sections: vec![Section {
                title: "Get".to_owned(),
                rows: vec![row("get one", Verdict::Miss), row("p99", Verdict::Pass)],
                notes: vec!["a note".to_owned()],
            }],
        };
        let md = report.to_markdown();
        assert!(
            md.contains("1 figure(s) miss their target:\n\n- get one: 1 | 2 (target ≥ 0.35x)"),
            "{md}"
        );
        assert!(
            md.contains("| get one | 1 \\| 2 | 3 | 0.33x | ≥ 0.35x | **MISS** |"),
            "{md}"
        );
        assert!(
            md.contains("| p99 | 1 \\| 2 | 3 | 0.33x | ≥ 0.35x | PASS |"),
            "{md}"
        );
        assert!(md.contains("- CPUs: 2\n"), "{md}");
        assert!(md.contains("\n- a note\n"), "{md}");
    }
}
