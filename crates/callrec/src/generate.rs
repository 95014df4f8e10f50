//! Realistic, reproducible call records for load tests, demos and ingestion checks (`callrec generate`).
//!
//! A [`Generator`] builds a stable tenant from a seed (users with their devices, sites, subnets, home
//! networks, meeting rooms, partner users) and then makes record `i` as a pure function of the
//! configuration and `i`: peer-to-peer calls, meetings with a long tail of large ones, PSTN calls through
//! Mediation Servers, gateways, auto attendants and call queues, failures, video and screen sharing, and
//! media quality that is mostly good and worse on Wi-Fi, mobile and tunnelled networks. Some records get a
//! version 2 in which the telemetry that was missing from version 1 is filled in.
//!
//! The same seed gives byte-identical output forever: randomness comes from our own SplitMix64, and JSON
//! text is written by the generator itself.

mod calendar;
mod json;
pub mod logs;
mod media;
mod population;
mod record;
mod rng;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::io::Write;
use std::sync::mpsc;

use callrec_model::edm::Ticks;
use serde_json::{Map, Value};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorConfig {
    /// Number of records (first versions); later versions come on top.
    pub records: u64,
    pub seed: u64,
    /// Beginning of the period the calls are spread over (UTC).
    pub start: Ticks,
    /// Length of the period in days.
    pub days: u32,
    /// The tenant's id, written as `tenantId` of its users and in meeting join URLs. It should be a GUID;
    /// other text is replaced by a GUID derived from it in `tenantId`.
    pub tenant_id: String,
    /// Number of employees of the tenant (at least 2 are made).
    pub users: u32,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            records: 1000,
            seed: 1,
            start: Ticks::from_unix_seconds(1_735_689_600), // 2025-01-01T00:00:00Z
            days: 30,
            tenant_id: "dc368399-474c-4d40-900c-6265431fd81f".to_owned(),
            users: 500,
        }
    }
}

/// What [`Generator::write_ndjson`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenerateSummary {
    /// First versions written.
    pub records: u64,
    /// Later versions written.
    pub later_versions: u64,
    /// Bytes written, newlines included.
    pub bytes: u64,
}

/// The state shared by every record of one generation run.
pub(crate) struct World {
    pub(crate) seed: u64,
    /// What record ids are drawn from: the seed and everything else that shapes the records (start,
    /// days, count), so that records generated differently never take each other's ids.
    pub(crate) id_seed: u64,
    pub(crate) records: u64,
    pub(crate) population: population::Population,
    pub(crate) calendar: calendar::Calendar,
}

/// Makes call records; see the module documentation.
pub struct Generator {
    config: GeneratorConfig,
    world: World,
}

/// The random stream the id seed is drawn from.
const ID_SEED: u64 = 0x1D5E;

/// Records per unit of work handed to a thread.
const CHUNK: u64 = 256;

/// How many chunks later a chunk's second versions are written.
const LATER_VERSION_DELAY: usize = 2;

impl Generator {
    pub fn new(config: GeneratorConfig) -> Self {
        let population = population::build(config.seed, &config.tenant_id, config.users);
        let calendar = calendar::Calendar::new(config.start, config.days, &population.sites);
        let shape = (config.start.0 as u64)
            ^ u64::from(config.days).rotate_left(48)
            ^ config.records.rotate_left(24);
        let world = World {
            seed: config.seed,
            id_seed: rng::Rng::derive(config.seed, ID_SEED, shape).next_u64(),
            records: config.records,
            population,
            calendar,
        };
        Generator { config, world }
    }

    pub fn config(&self) -> &GeneratorConfig {
        &self.config
    }

    /// Appends record `i` (version 1) as one line of JSON text, without the newline.
    pub fn write_record(&self, i: u64, out: &mut Vec<u8>) {
        record::write(&self.world, i, 1, out);
    }

    /// Appends the later version of record `i` if it has one; returns whether it did.
    pub fn write_later_version(&self, i: u64, out: &mut Vec<u8>) -> bool {
        record::write(&self.world, i, 2, out)
    }

    /// Record `i` (0-based) as a Graph callRecord JSON object, sessions and segments inline.
    pub fn record(&self, i: u64) -> Map<String, Value> {
        let mut buf = Vec::new();
        self.write_record(i, &mut buf);
        parse_object(&buf)
    }

    /// The later version of record `i` (higher `version`, later `lastModifiedDateTime`, telemetry that
    /// version 1 lacked), for about one record in ten.
    pub fn later_version(&self, i: u64) -> Option<Map<String, Value>> {
        let mut buf = Vec::new();
        self.write_later_version(i, &mut buf)
            .then(|| parse_object(&buf))
    }

    /// Writes all records as NDJSON, each chunk's later versions a couple of chunks after it, using every
    /// core. The output does not depend on the number of cores. `progress` gets the number of first
    /// versions written so far, after each chunk.
    pub fn write_ndjson<W: Write>(
        &self,
        mut out: W,
        mut progress: impl FnMut(u64),
    ) -> std::io::Result<GenerateSummary> {
        let total = self.config.records;
        let chunks = total.div_ceil(CHUNK);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(chunks.max(1) as usize);
        let mut summary = GenerateSummary::default();
        std::thread::scope(|scope| -> std::io::Result<()> {
            let mut receivers = Vec::with_capacity(workers);
            let mut returns = Vec::with_capacity(workers);
            for w in 0..workers {
                let (tx, rx) = mpsc::sync_channel::<Chunk>(2);
                // Written buffers go back to their worker, so a run allocates a handful of them in all.
                let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
                receivers.push(rx);
                returns.push(back_tx);
                scope.spawn(move || {
                    let mut c = w as u64;
                    while c < chunks {
                        let first = back_rx.try_recv().unwrap_or_default();
                        let second = back_rx.try_recv().unwrap_or_default();
                        if tx.send(self.make_chunk(c, total, first, second)).is_err() {
                            return;
                        }
                        c += workers as u64;
                    }
                });
            }
            let mut pending: VecDeque<(usize, Vec<u8>)> = VecDeque::new();
            for c in 0..chunks {
                let w = (c % workers as u64) as usize;
                let chunk = receivers[w]
                    .recv()
                    .map_err(|_| std::io::Error::other("a generator thread stopped early"))?;
                out.write_all(&chunk.first)?;
                summary.records += chunk.records;
                summary.later_versions += chunk.later;
                summary.bytes += (chunk.first.len() + chunk.second.len()) as u64;
                let _ = returns[w].send(chunk.first);
                pending.push_back((w, chunk.second));
                if pending.len() > LATER_VERSION_DELAY
                    && let Some((from, due)) = pending.pop_front()
                {
                    out.write_all(&due)?;
                    let _ = returns[from].send(due);
                }
                progress(summary.records);
            }
            for (_, due) in pending {
                out.write_all(&due)?;
            }
            Ok(())
        })?;
        out.flush()?;
        Ok(summary)
    }

    fn make_chunk(&self, c: u64, total: u64, mut first: Vec<u8>, mut second: Vec<u8>) -> Chunk {
        let from = c * CHUNK;
        let to = (from + CHUNK).min(total);
        first.clear();
        second.clear();
        let mut later = 0;
        for i in from..to {
            self.write_record(i, &mut first);
            first.push(b'\n');
            if self.write_later_version(i, &mut second) {
                second.push(b'\n');
                later += 1;
            }
        }
        Chunk {
            first,
            second,
            records: to - from,
            later,
        }
    }
}

/// The NDJSON of one chunk of records: first versions, and later versions to be written further on.
struct Chunk {
    first: Vec<u8>,
    second: Vec<u8>,
    records: u64,
    later: u64,
}

fn parse_object(bytes: &[u8]) -> Map<String, Value> {
    // The text comes from our own writer; failing to read it back is a bug in this module.
    serde_json::from_slice(bytes).expect("generated record is a JSON object")
}
