//! zstd compression of the stored JSON pieces, with dictionaries trained on the stored data itself.
//!
//! Call records are many small JSON documents that repeat the same keys and enum values; compressed one by
//! one they shrink little, compressed against a dictionary trained on their siblings they shrink several
//! times. Every blob therefore starts with one byte naming how it was encoded:
//!
//! - `0`: a zstd frame without a dictionary;
//! - `1..=254`: a zstd frame made with the dictionary of that id;
//! - `255` ([`RAW`]): the piece itself, for pieces too small or too random to gain from compression.
//!
//! The dictionaries are kept by the backend (they must outlive every blob made with them); this module only
//! trains them, prepares them for fast use, and encodes and decodes blobs. Compression contexts are reused
//! per thread, so encoding a piece allocates nothing but its output.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use callrec_model::prepare::PreparedRecord;
use zstd::zstd_safe::{self, CCtx, CDict, CParameter, DCtx, DDict};

/// The prefix of a blob stored without compression.
pub const RAW: u8 = 255;
/// The prefix of a zstd frame made without a dictionary.
pub const NO_DICTIONARY: u8 = 0;
/// The highest dictionary id a prefix can name.
pub const MAX_DICTIONARY_ID: u8 = 254;

/// No piece of a call record decompresses to more than this; a larger claim means a corrupt blob.
const MAX_PIECE_BYTES: u64 = 1 << 30;

/// Why a blob could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompressError {
    #[error("empty blob")]
    Empty,
    #[error("blob made with dictionary {0}, which the store does not have")]
    UnknownDictionary(u8),
    #[error("corrupt compressed blob: {0}")]
    Corrupt(String),
    #[error("dictionary training failed: {0}")]
    Training(String),
}

/// When and how to train a dictionary from the pieces being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DictionaryTraining {
    /// Train once this many pieces (heads, sessions, segment lists, participants) have been collected.
    pub after_pieces: usize,
    /// The largest dictionary to make, in bytes.
    pub max_size: usize,
}

impl Default for DictionaryTraining {
    fn default() -> Self {
        DictionaryTraining {
            after_pieces: 4_000,
            max_size: 112 * 1024,
        }
    }
}

/// A trained dictionary, prepared for both directions.
pub struct Dictionary {
    id: u8,
    bytes: Vec<u8>,
    encoder: CDict<'static>,
    decoder: DDict<'static>,
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("id", &self.id)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Dictionary {
    /// Prepares dictionary `bytes` (as [`train`] made them) under `id`, for compression at `level`.
    pub fn new(id: u8, bytes: Vec<u8>, level: i32) -> Result<Self, CompressError> {
        if id == NO_DICTIONARY || id > MAX_DICTIONARY_ID {
            return Err(CompressError::Corrupt(format!(
                "dictionary id {id} is out of range"
            )));
        }
        let encoder = CDict::try_create(&bytes, level)
            .ok_or_else(|| CompressError::Corrupt(format!("dictionary {id} cannot be loaded")))?;
        let decoder = DDict::try_create(&bytes)
            .ok_or_else(|| CompressError::Corrupt(format!("dictionary {id} cannot be loaded")))?;
        Ok(Dictionary {
            id,
            bytes,
            encoder,
            decoder,
        })
    }

    pub fn id(&self) -> u8 {
        self.id
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Trains a dictionary of at most `max_size` bytes on these samples.
pub fn train(samples: &[Vec<u8>], max_size: usize) -> Result<Vec<u8>, CompressError> {
    zstd::dict::from_samples(samples, max_size).map_err(|e| CompressError::Training(e.to_string()))
}

/// A compression context for this thread. Frames leave out the dictionary id (4 bytes a piece): the
/// blob's prefix already names the dictionary.
fn compression_context() -> CCtx<'static> {
    let mut cctx = CCtx::create();
    let _ = cctx.set_parameter(CParameter::DictIdFlag(false));
    cctx
}

thread_local! {
    static COMPRESSOR: RefCell<CCtx<'static>> = RefCell::new(compression_context());
    static DECOMPRESSOR: RefCell<DCtx<'static>> = RefCell::new(DCtx::create());
}

/// Encodes pieces with the dictionary that was current when it was made.
#[derive(Debug, Clone)]
pub struct Encoder {
    level: i32,
    dictionary: Option<Arc<Dictionary>>,
}

impl Encoder {
    /// The id of the dictionary this encoder uses (`0` for none).
    pub fn dictionary_id(&self) -> u8 {
        self.dictionary.as_ref().map_or(NO_DICTIONARY, |d| d.id)
    }

    /// Compresses one piece into a prefixed blob.
    pub fn encode(&self, piece: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; 1 + zstd_safe::compress_bound(piece.len())];
        let written = COMPRESSOR.with(|cell| {
            let mut cctx = cell.borrow_mut();
            match &self.dictionary {
                Some(d) => {
                    let written = cctx
                        .ref_cdict(&d.encoder)
                        .and_then(|_| cctx.compress2(&mut out[1..], piece));
                    // The context outlives this call; it must not keep pointing at the dictionary.
                    let _ = cctx.disable_dictionary();
                    written
                }
                None => cctx
                    .set_parameter(CParameter::CompressionLevel(self.level))
                    .and_then(|_| cctx.compress2(&mut out[1..], piece)),
            }
        });
        match written {
            // The prefix byte is the price of knowing how to read it back; keep the piece as is when
            // compression does not pay for it.
            Ok(n) if n < piece.len() => {
                out[0] = self.dictionary_id();
                out.truncate(1 + n);
                out
            }
            _ => {
                let mut raw = Vec::with_capacity(1 + piece.len());
                raw.push(RAW);
                raw.extend_from_slice(piece);
                raw
            }
        }
    }
}

/// Collects pieces from writes until there are enough to train a dictionary on.
#[derive(Debug, Default)]
struct Sampler {
    samples: Vec<Vec<u8>>,
    bytes: usize,
    /// Train at this many samples...
    target: usize,
    /// ...or at this many bytes of them, whichever comes first.
    budget: usize,
    attempts: u32,
    training: bool,
}

/// A sample keeps only the start of a long piece: a dictionary serves the first kilobytes of each piece
/// (later ones find their matches in the piece itself), and the trainer's time grows with its input.
const MAX_SAMPLE_BYTES: usize = 16 * 1024;
/// Sample bytes per dictionary byte; zstd advises about a hundred.
const SAMPLE_BYTES_PER_DICTIONARY_BYTE: usize = 100;

/// How many times training is retried (each time on twice as many samples) before giving up.
const TRAINING_ATTEMPTS: u32 = 3;

/// The compression state of one store: its level, its dictionaries, and the sampling for the next one.
#[derive(Debug)]
pub struct Codec {
    level: i32,
    training: Option<DictionaryTraining>,
    dictionaries: RwLock<Arc<HashMap<u8, Arc<Dictionary>>>>,
    current: RwLock<Option<Arc<Dictionary>>>,
    sampling: AtomicBool,
    sampler: Mutex<Sampler>,
}

impl Codec {
    /// A codec that knows these dictionaries (the one with the highest id encodes), and trains one from
    /// the written pieces when it has none and `training` allows.
    pub fn new(
        level: i32,
        training: Option<DictionaryTraining>,
        dictionaries: Vec<Dictionary>,
    ) -> Self {
        let current = dictionaries.iter().max_by_key(|d| d.id).map(|d| d.id);
        let map: HashMap<u8, Arc<Dictionary>> = dictionaries
            .into_iter()
            .map(|d| (d.id, Arc::new(d)))
            .collect();
        let current = current.and_then(|id| map.get(&id).cloned());
        let sampling = current.is_none() && training.is_some();
        Codec {
            level,
            training,
            dictionaries: RwLock::new(Arc::new(map)),
            current: RwLock::new(current),
            sampling: AtomicBool::new(sampling),
            sampler: Mutex::new(Sampler {
                target: training.map_or(0, |t| t.after_pieces.max(1)),
                budget: training.map_or(0, |t| {
                    t.max_size
                        .saturating_mul(SAMPLE_BYTES_PER_DICTIONARY_BYTE)
                        .max(1)
                }),
                ..Sampler::default()
            }),
        }
    }

    pub fn level(&self) -> i32 {
        self.level
    }

    /// An encoder for the current dictionary.
    pub fn encoder(&self) -> Encoder {
        let dictionary = self
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Encoder {
            level: self.level,
            dictionary,
        }
    }

    /// The id the next dictionary will get, if there is room for one.
    pub fn next_dictionary_id(&self) -> Option<u8> {
        let map = self
            .dictionaries
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        match map.keys().max() {
            None => Some(1),
            Some(&id) if id < MAX_DICTIONARY_ID => Some(id + 1),
            Some(_) => None,
        }
    }

    /// Makes a dictionary known for decoding and current for encoding. Call it only once the dictionary
    /// is stored durably, since blobs made with it will follow.
    pub fn install(&self, dictionary: Dictionary) {
        let dictionary = Arc::new(dictionary);
        {
            let mut map = self
                .dictionaries
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let mut next = HashMap::clone(&map);
            next.insert(dictionary.id, dictionary.clone());
            *map = Arc::new(next);
        }
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(dictionary);
        self.sampling.store(false, Ordering::Release);
    }

    /// Whether pieces are still being collected for training.
    pub fn is_sampling(&self) -> bool {
        self.sampling.load(Ordering::Acquire)
    }

    /// Offers written pieces as training samples. Returns the samples to train on when there are enough
    /// (exactly once per training attempt); the caller trains and then calls [`Codec::install`] or
    /// [`Codec::training_failed`].
    pub fn offer_samples<'a>(
        &self,
        pieces: impl IntoIterator<Item = &'a [u8]>,
    ) -> Option<Vec<Vec<u8>>> {
        if !self.is_sampling() {
            return None;
        }
        let mut sampler = self.sampler.lock().unwrap_or_else(PoisonError::into_inner);
        if sampler.training {
            return None;
        }
        for piece in pieces {
            if sampler.samples.len() >= sampler.target || sampler.bytes >= sampler.budget {
                break;
            }
            if !piece.is_empty() {
                let sample = piece[..piece.len().min(MAX_SAMPLE_BYTES)].to_vec();
                sampler.bytes += sample.len();
                sampler.samples.push(sample);
            }
        }
        if sampler.samples.len() < sampler.target && sampler.bytes < sampler.budget {
            return None;
        }
        sampler.training = true;
        Some(sampler.samples.clone())
    }

    /// Offers the pieces of written records as training samples, as [`Codec::offer_samples`] does, but
    /// with their personal data removed ([`callrec_model::scrub::scrubbed_pieces`]): a dictionary keeps
    /// fragments of its samples for as long as any blob uses it, and must not keep a name, a phone number
    /// or an address past the records' own scrubbing. Costs nothing once the dictionary is trained.
    pub fn offer_records(&self, records: &[PreparedRecord]) -> Option<Vec<Vec<u8>>> {
        for record in records {
            if !self.wants_samples() {
                return None;
            }
            let Some(pieces) = callrec_model::scrub::scrubbed_pieces(record) else {
                continue;
            };
            if let Some(samples) = self.offer_samples(pieces.iter().map(Vec::as_slice)) {
                return Some(samples);
            }
        }
        None
    }

    /// Whether more samples would be taken now (sampling, and no training under way).
    fn wants_samples(&self) -> bool {
        self.is_sampling()
            && !self
                .sampler
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .training
    }

    /// Reports a failed training: sampling goes on until twice as many pieces, or stops after a few tries.
    pub fn training_failed(&self) {
        let mut sampler = self.sampler.lock().unwrap_or_else(PoisonError::into_inner);
        sampler.training = false;
        sampler.attempts += 1;
        sampler.target = sampler.target.saturating_mul(2);
        sampler.budget = sampler.budget.saturating_mul(2);
        if sampler.attempts >= TRAINING_ATTEMPTS {
            sampler.samples = Vec::new();
            sampler.bytes = 0;
            self.sampling.store(false, Ordering::Release);
        }
    }

    /// Frees the samples once a dictionary is installed.
    pub fn training_done(&self) {
        let mut sampler = self.sampler.lock().unwrap_or_else(PoisonError::into_inner);
        sampler.training = false;
        sampler.samples = Vec::new();
        sampler.bytes = 0;
    }

    /// The size limit for the trained dictionary.
    pub fn dictionary_max_size(&self) -> usize {
        self.training.map_or(0, |t| t.max_size)
    }

    /// Decodes a prefixed blob back into its piece.
    pub fn decode(&self, blob: &[u8]) -> Result<Vec<u8>, CompressError> {
        let (&prefix, frame) = blob.split_first().ok_or(CompressError::Empty)?;
        if prefix == RAW {
            return Ok(frame.to_vec());
        }
        let dictionary = if prefix == NO_DICTIONARY {
            None
        } else {
            let map = self
                .dictionaries
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            Some(
                map.get(&prefix)
                    .cloned()
                    .ok_or(CompressError::UnknownDictionary(prefix))?,
            )
        };
        let size = match zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_PIECE_BYTES => size as usize,
            Ok(Some(size)) => {
                return Err(CompressError::Corrupt(format!("frame claims {size} bytes")));
            }
            Ok(None) => return Err(CompressError::Corrupt("frame without content size".into())),
            Err(_) => return Err(CompressError::Corrupt("not a zstd frame".into())),
        };
        let mut out = vec![0u8; size];
        let written = DECOMPRESSOR.with(|cell| {
            let mut dctx = cell.borrow_mut();
            match &dictionary {
                Some(d) => dctx.decompress_using_ddict(&mut out[..], frame, &d.decoder),
                None => dctx.decompress(&mut out[..], frame),
            }
        });
        match written {
            Ok(n) if n == size => Ok(out),
            Ok(n) => Err(CompressError::Corrupt(format!(
                "frame gave {n} bytes instead of {size}"
            ))),
            Err(code) => Err(CompressError::Corrupt(
                zstd_safe::get_error_name(code).to_owned(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(i: usize) -> Vec<u8> {
        format!(
            r#"{{"id":"{i:08x}-5f1c-4a7e-9b2d-{i:012x}","type":"groupCall","modalities":["audio","video"],"caller":{{"userAgent":{{"platform":"windows","productFamily":"teams"}}}},"callee":{{"identity":{{"user":{{"displayName":"User {i}"}}}}}},"n":{}}}"#,
            i * 7919 % 1000
        )
        .into_bytes()
    }

    #[test]
    fn round_trips_without_dictionary_and_raw() {
        let codec = Codec::new(3, None, Vec::new());
        let enc = codec.encoder();
        for p in [piece(1), b"{}".to_vec(), Vec::new(), b"x".repeat(10_000)] {
            let blob = enc.encode(&p);
            assert_eq!(codec.decode(&blob).unwrap(), p);
        }
        assert_eq!(enc.encode(b"{}")[0], RAW);
        assert_eq!(enc.encode(&b"x".repeat(10_000))[0], NO_DICTIONARY);
        assert_eq!(codec.decode(&[]), Err(CompressError::Empty));
        assert!(codec.decode(&[0, 1, 2, 3]).is_err());
        assert_eq!(
            codec.decode(&[7, 1, 2]),
            Err(CompressError::UnknownDictionary(7))
        );
    }

    #[test]
    fn trains_once_enough_samples_and_shrinks_pieces() {
        let codec = Codec::new(
            3,
            Some(DictionaryTraining {
                after_pieces: 500,
                max_size: 16 * 1024,
            }),
            Vec::new(),
        );
        let pieces: Vec<Vec<u8>> = (0..600).map(piece).collect();
        assert!(
            codec
                .offer_samples(pieces[..499].iter().map(Vec::as_slice))
                .is_none()
        );
        let samples = codec
            .offer_samples(pieces[499..].iter().map(Vec::as_slice))
            .expect("enough samples");
        assert_eq!(samples.len(), 500, "sampling stops at the target");
        assert!(
            codec.offer_samples([b"more".as_slice()]).is_none(),
            "one training at a time"
        );
        let before = codec.encoder().encode(&piece(10_000)).len();
        let dict = Dictionary::new(
            codec.next_dictionary_id().unwrap(),
            train(&samples, 16 * 1024).unwrap(),
            3,
        )
        .unwrap();
        codec.install(dict);
        codec.training_done();
        assert!(!codec.is_sampling());
        let enc = codec.encoder();
        assert_eq!(enc.dictionary_id(), 1);
        let blob = enc.encode(&piece(10_000));
        assert_eq!(blob[0], 1);
        assert!(
            blob.len() * 2 < before,
            "dictionary blob {} vs plain {before}",
            blob.len()
        );
        assert_eq!(codec.decode(&blob).unwrap(), piece(10_000));
        assert_eq!(codec.next_dictionary_id(), Some(2));
    }

    #[test]
    fn long_pieces_are_cut_and_bytes_bound_the_sampling() {
        let training = DictionaryTraining {
            after_pieces: 1_000,
            max_size: 1024,
        };
        let codec = Codec::new(3, Some(training), Vec::new());
        let long = vec![b'x'; 3 * MAX_SAMPLE_BYTES];
        let budget = 1024 * SAMPLE_BYTES_PER_DICTIONARY_BYTE;
        let pieces_to_budget = budget.div_ceil(MAX_SAMPLE_BYTES);
        assert!(
            codec
                .offer_samples(std::iter::repeat_n(long.as_slice(), pieces_to_budget - 1))
                .is_none()
        );
        let samples = codec
            .offer_samples(std::iter::repeat_n(long.as_slice(), 10))
            .expect("the byte budget is reached");
        assert_eq!(samples.len(), pieces_to_budget);
        assert!(samples.iter().all(|s| s.len() == MAX_SAMPLE_BYTES));
    }

    #[test]
    fn failed_training_retries_then_stops() {
        let codec = Codec::new(
            3,
            Some(DictionaryTraining {
                after_pieces: 1,
                max_size: 1024,
            }),
            Vec::new(),
        );
        for _ in 0..TRAINING_ATTEMPTS {
            assert!(
                codec
                    .offer_samples([b"a".as_slice(), b"b".as_slice()])
                    .is_some()
            );
            codec.training_failed();
        }
        assert!(!codec.is_sampling());
        assert!(codec.offer_samples([b"c".as_slice()]).is_none());
    }
}
