//! Percentiles and the compressed sizes the bench reports.

use serde::Serialize;
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

/// The `q`-quantile (0..=1) of sorted samples, nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// p50 and p99 of samples in milliseconds (any order; NaN ignored).
pub fn spread(samples: &[f64]) -> Spread {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    Spread {
        p50_ms: quantile(&sorted, 0.50),
        p99_ms: quantile(&sorted, 0.99),
        samples: sorted.len(),
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
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = spread(&samples);
        assert_eq!((s.p50_ms, s.p99_ms, s.samples), (50.0, 99.0, 100));
        let s = spread(&[3.0, 1.0, 2.0]);
        assert_eq!((s.p50_ms, s.p99_ms), (2.0, 3.0));
        assert_eq!(spread(&[]).p50_ms, 0.0);
    }

    #[test]
    fn compression_shrinks_repetitive_text() {
        let text = "nexa chat ".repeat(1000);
        let (gz, br) = (gzip_len(text.as_bytes()), brotli_len(text.as_bytes()));
        assert!(gz > 0 && gz < 200, "{gz}");
        assert!(br > 0 && br <= gz, "{br} vs {gz}");
    }
}
