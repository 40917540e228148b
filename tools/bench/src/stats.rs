//! Percentiles (statrs) and the compressed sizes the bench reports.

use serde::Serialize;
use statrs::statistics::{Data, OrderStatistics};
use std::io::Write;
use std::time::Duration;

/// p50 and p99 of a set of durations, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// How many samples.
    pub samples: usize,
}

/// p50 and p99 of samples in milliseconds (any order; NaN ignored; none: 0).
pub fn spread(samples: &[f64]) -> Spread {
    let kept: Vec<f64> = samples.iter().copied().filter(|v| !v.is_nan()).collect();
    if kept.is_empty() {
        return Spread::default();
    }
    let samples = kept.len();
    let mut data = Data::new(kept);
    Spread {
        p50_ms: data.quantile(0.50),
        p99_ms: data.quantile(0.99),
        samples,
    }
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Size of `bytes` gzipped at the best level.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    if encoder.write_all(bytes).is_err() {
        return 0;
    }
    encoder.finish().map(|v| v.len()).unwrap_or(0)
}

/// Size of `bytes` brotli-compressed at quality 11 (what a server caches).
pub fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        if writer.write_all(bytes).is_err() {
            return 0;
        }
    }
    out.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_unsorted_samples_negative_ones_too() {
        let samples: Vec<f64> = (1..=99).rev().map(f64::from).collect();
        let s = spread(&samples);
        assert_eq!((s.p50_ms, s.samples), (50.0, 99));
        assert!(s.p99_ms > 98.0 && s.p99_ms <= 99.0, "{s:?}");
        // "added" figures are differences and can be below zero.
        let s = spread(&[-3.0, 1.0, f64::NAN, -1.0]);
        assert_eq!((s.p50_ms, s.samples), (-1.0, 3));
        assert_eq!(spread(&[]), Spread::default());
    }

    #[test]
    fn compression_shrinks_repetitive_text() {
        let text = "nexa chat ".repeat(1000);
        let (gz, br) = (gzip_len(text.as_bytes()), brotli_len(text.as_bytes()));
        assert!(gz > 0 && gz < 200, "{gz}");
        assert!(br > 0 && br <= gz, "{br} vs {gz}");
    }
}
