//! The storage of call quality: the stream classifications computed at ingestion and the reports over them.
//!
//! A backend keeps, for every stored record, its streams as classified by [`callrec_model::quality`]
//! (written in the record's own transaction, so a report never sees half a record), and answers
//! [`ReportQuery`]s: counts of good, poor and unclassified streams with the averages and maxima of their
//! metrics, grouped by time, media type, one report dimension or building, over a time range.
//! The subnet-to-building map is stored as uploaded and applied when a report is asked for, so a map
//! uploaded later applies to every stream already stored.

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::quality::{Building, MAXIMA, MediaType, Metric};

use crate::{StoreError, TenantId};

/// A property of a stream's receiving endpoint that reports group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Subnet,
    Connection,
    Platform,
    ClientVersion,
    User,
    Device,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Subnet,
        Dimension::Connection,
        Dimension::Platform,
        Dimension::ClientVersion,
        Dimension::User,
        Dimension::Device,
    ];

    /// The name reports and query strings use.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Subnet => "subnet",
            Dimension::Connection => "connection",
            Dimension::Platform => "platform",
            Dimension::ClientVersion => "clientVersion",
            Dimension::User => "user",
            Dimension::Device => "device",
        }
    }

    pub fn parse(name: &str) -> Option<Dimension> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }
}

/// What the rows of a report stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grouping {
    /// One row per UTC hour with streams.
    Hour,
    /// One row per UTC day with streams.
    Day,
    MediaType,
    Dimension(Dimension),
    /// Subnets grouped by the uploaded building map; subnets outside it form one row without a key.
    Building,
}

/// Which streams a report counts, beside its time range and media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Only {
    /// Streams whose dimension has this value (`None`: streams where the record does not say).
    Dimension(Dimension, Option<String>),
    /// Streams received on a subnet of this building.
    Building(String),
}

/// A quality report over the streams that started in `[from, to)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportQuery {
    pub by: Grouping,
    pub from: Ticks,
    pub to: Ticks,
    pub media: Option<MediaType>,
    pub only: Option<Only>,
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportRow {
    /// The row's value: a media type, a dimension's value, a building name; for time rows, the start of
    /// the hour or day. `None` for streams where the record does not say (or outside every building).
    pub key: Option<String>,
    /// A user's display name, for rows by user.
    pub label: Option<String>,
    /// For time rows: the hour or day the row covers, `[start, end)`.
    pub start: Option<Ticks>,
    pub end: Option<Ticks>,
    pub good: u64,
    pub poor: u64,
    pub unclassified: u64,
    /// Poor streams by the metric that made them poor, in the order of [`Metric::ALL`].
    pub poor_by_metric: [u64; 8],
    /// The average of each metric over the streams that report it, in the order of [`Metric::ALL`].
    pub average: [Option<f64>; 8],
    /// The largest value of each metric among those streams.
    pub maximum: [Option<f64>; 8],
    /// The average of the streams' own maxima, in the order of [`MAXIMA`] (CQD's "Avg ... Max").
    pub average_of_maxima: [Option<f64>; 4],
}

impl ReportRow {
    /// poor / (poor + good): CQD's poor stream rate. `None` when no stream was classified.
    pub fn poor_rate(&self) -> Option<f64> {
        let classified = self.poor + self.good;
        (classified > 0).then(|| self.poor as f64 / classified as f64)
    }

    pub fn streams(&self) -> u64 {
        self.good + self.poor + self.unclassified
    }

    /// The average of one metric.
    pub fn average_of(&self, metric: Metric) -> Option<f64> {
        self.average[metric.index()]
    }

    /// The names of [`Self::average_of_maxima`].
    pub fn maxima_names() -> [&'static str; 4] {
        MAXIMA
    }
}

/// Stream counts over every tenant, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QualityTotals {
    pub good: u64,
    pub poor: u64,
    pub unclassified: u64,
}

/// The storage of call quality: the stream classifications computed at ingestion and the reports over them.
#[async_trait]
pub trait QualityStore: Send + Sync + 'static {
    /// Counts the tenant's streams as the query asks, one row per group with streams, in the order of
    /// their keys (time rows by time; rows without a key last).
    async fn quality_report(
        &self,
        tenant: &TenantId,
        query: &ReportQuery,
    ) -> Result<Vec<ReportRow>, StoreError>;

    /// Replaces the tenant's subnet-to-building map.
    async fn put_buildings(
        &self,
        tenant: &TenantId,
        buildings: Vec<Building>,
    ) -> Result<(), StoreError>;

    /// The tenant's subnet-to-building map, in the order uploaded.
    async fn buildings(&self, tenant: &TenantId) -> Result<Vec<Building>, StoreError>;

    /// Streams stored, by verdict, over every tenant.
    async fn quality_totals(&self) -> Result<QualityTotals, StoreError>;

    /// Does ahead of time what the next reports would otherwise do when asked (the SQLite store builds
    /// the per-day rollups of the days written since), so that the first report after an import is as
    /// fast as the next. Returns how many units of work were done; a backend with nothing to prepare
    /// returns 0.
    async fn prepare_reports(&self) -> Result<u64, StoreError> {
        Ok(0)
    }

    /// Scrubbing: forgets the user names (report labels) that no record whose call ended at or after
    /// `cutoff` carries, once every record that ended before it has been scrubbed. Returns how many names
    /// were forgotten. A backend that keeps each label with its stream rows forgets them when the scrubbed
    /// records are written, and returns 0 here.
    async fn forget_names_before(&self, cutoff: Ticks) -> Result<u64, StoreError> {
        let _ = cutoff;
        Ok(0)
    }
}
