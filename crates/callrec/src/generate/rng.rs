//! The generator's source of randomness: SplitMix64, written out here so that a seed gives the same
//! records on every platform and with every future dependency version.
//!
//! Only integer arithmetic, `+ - * /` and `sqrt` on floats are used (all exactly specified by IEEE 754);
//! `ln`, `exp` and `cos` come from the platform's libm and could change output between systems.

/// Golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function, also used to hash seeds and indices into independent streams.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A SplitMix64 stream.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A stream for one purpose (`domain`) and one item (`index`) under a seed; streams for different
    /// pairs are unrelated, so records can be made in any order.
    pub(crate) fn derive(seed: u64, domain: u64, index: u64) -> Self {
        Rng(mix(
            mix(seed ^ mix(domain.wrapping_mul(GAMMA))) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)
        ))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32 for our small `n`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// In `[lo, hi)`, crowded towards `lo`: the mass below the midpoint grows with `power`.
    pub(crate) fn skewed(&mut self, lo: f64, hi: f64, power: u32) -> f64 {
        let u = self.unit();
        let mut p = 1.0;
        for _ in 0..power {
            p *= u;
        }
        lo + (hi - lo) * p
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A copy of a uniformly chosen item.
    pub(crate) fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// An index drawn with the given relative weights.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total.max(1));
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }

    /// A random (version 4) GUID.
    pub(crate) fn guid(&mut self) -> Guid {
        let raw = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        Guid(
            (raw & !(0xF000u128 << 64) & !(0xC000u128 << 48))
                | (0x4000u128 << 64)
                | (0x8000u128 << 48),
        )
    }
}

/// A GUID, written in the lower-case 8-4-4-4-12 form Graph uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Guid(pub(crate) u128);

impl Guid {
    pub(crate) fn write_to(self, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'-'; 36];
        let mut pos = 0;
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                pos += 1;
            }
            text[pos] = HEX[((self.0 >> (124 - 4 * i)) & 0xF) as usize];
            pos += 1;
        }
        out.extend_from_slice(&text);
    }
}

impl std::fmt::Display for Guid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = Vec::with_capacity(36);
        self.write_to(&mut buf);
        f.write_str(std::str::from_utf8(&buf).map_err(|_| std::fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs of the reference SplitMix64 for state 0 (Vigna's splitmix64.c).
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn guids_are_version_4() {
        let mut r = Rng::derive(1, 2, 3);
        for _ in 0..100 {
            let g = r.guid().to_string();
            assert_eq!(g.len(), 36);
            assert_eq!(&g[14..15], "4");
            assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"), "{g}");
        }
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::derive(7, 0, 0);
        for _ in 0..10_000 {
            let x = r.range(-3, 5);
            assert!((-3..=5).contains(&x));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let s = r.skewed(2.0, 4.0, 3);
            assert!((2.0..4.0).contains(&s));
        }
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[r.weighted(&[1, 0, 2])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((9_000..11_000).contains(&counts[0]), "{counts:?}");
    }
}
