//! The shared layer of the two backends' quality tables: how metric values are stored, the hour and day
//! of a stream in SQL, and the sums over a group of streams that both roll up and report.
//!
//! Each backend reads an [`Agg`] from its own driver's rows (`Agg::read` in `sqlite/quality.rs` and
//! `postgres/quality.rs`); what an `Agg` holds, how two merge and what report row they make is one answer,
//! here.

use crate::quality::ReportRow;

/// One hour in ticks (100 ns).
pub(crate) const HOUR: i64 = 3600 * 10_000_000;
/// Hours in a UTC day.
pub(crate) const DAY_HOURS: i64 = 24;

/// Metric values are stored as integers of 1/10000 of their unit (0.1 µs of jitter, 0.0001 of a loss
/// rate): SQLite stores small integers in one to four bytes where a REAL always takes eight, and reports
/// show no finer figures.
pub(crate) const SCALE: f64 = 10_000.0;

/// The hour (since the epoch) of a stream's `start`, rounded down also before 1970, as SQL.
pub(crate) const HOUR_OF_START: &str =
    "((start - ((start % 36000000000) + 36000000000) % 36000000000) / 36000000000)";
/// The first hour of the UTC day of a stream's `start`, as SQL.
pub(crate) const DAY_OF_START: &str =
    "((start - ((start % 864000000000) + 864000000000) % 864000000000) / 36000000000)";

/// A metric value in units of [`SCALE`].
pub(crate) fn scaled(v: Option<f64>) -> Option<i64> {
    v.map(|v| (v * SCALE).round() as i64)
}

/// Sums over a group of streams, in the shape of a rollup row (43 columns in this order).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Agg {
    /// good, poor, unclassified
    pub(crate) verdicts: [i64; 3],
    /// Poor streams by the metric that made them poor.
    pub(crate) reasons: [i64; 8],
    pub(crate) sums: [i64; 8],
    pub(crate) counts: [i64; 8],
    pub(crate) maxima: [Option<i64>; 8],
    pub(crate) max_sums: [i64; 4],
    pub(crate) max_counts: [i64; 4],
}

pub(crate) fn max_of(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl Agg {
    pub(crate) fn merge(&mut self, o: &Agg) {
        for i in 0..3 {
            self.verdicts[i] += o.verdicts[i];
        }
        for i in 0..8 {
            self.reasons[i] += o.reasons[i];
            self.sums[i] += o.sums[i];
            self.counts[i] += o.counts[i];
            self.maxima[i] = max_of(self.maxima[i], o.maxima[i]);
        }
        for i in 0..4 {
            self.max_sums[i] += o.max_sums[i];
            self.max_counts[i] += o.max_counts[i];
        }
    }

    /// Streams counted.
    pub(crate) fn total(&self) -> i64 {
        self.verdicts.iter().sum()
    }

    /// The report row these sums make (without its group's key).
    pub(crate) fn row(&self) -> ReportRow {
        let avg = |sum: i64, n: i64| (n > 0).then(|| sum as f64 / SCALE / n as f64);
        ReportRow {
            good: self.verdicts[0].max(0) as u64,
            poor: self.verdicts[1].max(0) as u64,
            unclassified: self.verdicts[2].max(0) as u64,
            poor_by_metric: self.reasons.map(|r| r.max(0) as u64),
            average: std::array::from_fn(|i| avg(self.sums[i], self.counts[i])),
            maximum: self.maxima.map(|m| m.map(|m| m as f64 / SCALE)),
            average_of_maxima: std::array::from_fn(|i| avg(self.max_sums[i], self.max_counts[i])),
            ..ReportRow::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_sums_make_averages_and_maxima() {
        let mut a = Agg {
            verdicts: [3, 1, 0],
            ..Agg::default()
        };
        a.sums[0] = 30_000;
        a.counts[0] = 3;
        a.maxima[0] = Some(20_000);
        let mut b = Agg {
            verdicts: [0, 1, 1],
            ..Agg::default()
        };
        b.sums[0] = 10_000;
        b.counts[0] = 1;
        b.maxima[0] = Some(50_000);
        a.merge(&b);
        assert_eq!(a.total(), 6);
        let row = a.row();
        assert_eq!((row.good, row.poor, row.unclassified), (3, 2, 1));
        assert_eq!(row.average[0], Some(1.0));
        assert_eq!(row.maximum[0], Some(5.0));
        assert_eq!(row.average[1], None);
        assert_eq!(scaled(Some(1.23456)), Some(12_346));
    }
}
