//! When calls happen: a working-hours, weekday-heavy density over the generated period, per site time zone.
//!
//! Record `i` of `n` is placed at quantile `(i + jitter) / n` of that density, so records come out
//! roughly in time order (like a live feed) while each one stays a pure function of its index.

use callrec_model::edm::{TICKS_PER_SECOND, Ticks};

use super::population::Site;
use super::rng::Rng;

const HOUR: i64 = 3600 * TICKS_PER_SECOND;

/// Relative call volume by local hour on a working day.
const WEEKDAY_HOURS: [f64; 24] = [
    0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.25, 0.75, 1.0, 1.0, 0.95, 0.6, 0.85, 1.0, 0.95,
    0.85, 0.5, 0.2, 0.1, 0.06, 0.04, 0.03, 0.02,
];

/// Weekend volume relative to a working day.
const WEEKEND_FACTOR: f64 = 0.06;

pub(crate) struct Calendar {
    start: Ticks,
    /// Cumulative weight at the end of each hour of the period.
    cumulative: Vec<f64>,
    /// Weight of each internal site in each hour, for choosing where a call starts.
    site_weights: Vec<Vec<u32>>,
}

impl Calendar {
    pub(crate) fn new(start: Ticks, days: u32, sites: &[Site]) -> Self {
        let hours = days.max(1) as usize * 24;
        let mut cumulative = Vec::with_capacity(hours);
        let mut site_weights = Vec::with_capacity(hours);
        let mut total = 0.0;
        for h in 0..hours {
            let at = start.0 + h as i64 * HOUR + HOUR / 2;
            let mut per_site = Vec::with_capacity(sites.len());
            let mut sum = 0.0;
            for site in sites {
                let w = if site.internal {
                    f64::from(site.weight) * local_activity(at, site.tz_minutes)
                } else {
                    0.0
                };
                sum += w;
                per_site.push((w * 1000.0).round() as u32);
            }
            total += sum;
            cumulative.push(total);
            site_weights.push(per_site);
        }
        Calendar {
            start,
            cumulative,
            site_weights,
        }
    }

    /// The instant at quantile `q` in `[0, 1)` of the call density, and the site whose working day put it
    /// there.
    pub(crate) fn place(&self, q: f64, rng: &mut Rng) -> (Ticks, usize) {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let target = q.clamp(0.0, 1.0) * total;
        let h = self
            .cumulative
            .partition_point(|&c| c <= target)
            .min(self.cumulative.len() - 1);
        let before = if h == 0 { 0.0 } else { self.cumulative[h - 1] };
        let width = (self.cumulative[h] - before).max(f64::MIN_POSITIVE);
        let frac = ((target - before) / width).clamp(0.0, 1.0);
        let at = Ticks(self.start.0 + h as i64 * HOUR + (frac * HOUR as f64) as i64);
        let site = rng.weighted(&self.site_weights[h]);
        (at, site)
    }
}

/// Relative call activity at a UTC instant for a site with the given offset.
fn local_activity(utc: i64, tz_minutes: i32) -> f64 {
    let local = utc.div_euclid(TICKS_PER_SECOND) + i64::from(tz_minutes) * 60;
    let day = local.div_euclid(86_400);
    let hour = (local.rem_euclid(86_400) / 3600) as usize;
    // 1970-01-01 was a Thursday; Monday is 0.
    let weekday = (day + 3).rem_euclid(7);
    let w = WEEKDAY_HOURS[hour];
    if weekday >= 5 { w * WEEKEND_FACTOR } else { w }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_peaks_on_weekday_afternoons() {
        // 2024-03-04 is a Monday; 10:00 UTC is 10:00 in London and 02:00 in Redmond.
        let monday_10 = Ticks::from_unix_seconds(1_709_546_400).0;
        assert!(local_activity(monday_10, 0) > 0.9);
        assert!(local_activity(monday_10, -480) < 0.05);
        let saturday_10 = monday_10 + 5 * 24 * HOUR;
        assert!(local_activity(saturday_10, 0) < 0.1);
    }
}
