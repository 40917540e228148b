//! Decimal numbers as the page shows them (a temperature, a reply's speed).
//!
//! Written with integer arithmetic on purpose: Rust's float formatting and
//! parsing add about 13 KB (brotli) to the browser bundle, and the page only
//! ever shows a number or two with a few decimals. The server reads what
//! people type ([`crate::chat::manage::read_settings`]).

/// `value` rounded to `places` decimals (at most 9) with `separator` between
/// the whole part and the decimals; with `trim`, trailing zeros go (and the
/// separator with them when nothing is left). `None` for a value that is not
/// finite or too large to show exactly.
pub fn decimal_text(value: f64, places: u32, separator: char, trim: bool) -> Option<String> {
    let places = places.min(9);
    let scale = 10u64.pow(places);
    let scaled = value.abs() * scale as f64 + 0.5;
    // Beyond 2^53 the f64 no longer holds every integer: the digits would lie.
    if !scaled.is_finite() || scaled >= 9_007_199_254_740_992.0 {
        return None;
    }
    let scaled = scaled as u64;
    let mut text = String::new();
    if value < 0.0 && scaled != 0 {
        text.push('-');
    }
    text.push_str(&(scaled / scale).to_string());
    let mut decimals = format!("{:0width$}", scaled % scale, width = places as usize);
    if trim {
        let kept = decimals.trim_end_matches('0').len();
        decimals.truncate(kept);
    }
    if places > 0 && !decimals.is_empty() {
        text.push(separator);
        text.push_str(&decimals);
    }
    Some(text)
}

/// A whole number with `separator` between groups of three digits:
/// `400,000` in English, `400.000` in Spanish.
pub fn thousands(value: usize, separator: char) -> String {
    let digits = value.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(separator);
        }
        text.push(digit);
    }
    text
}

/// A temperature as the settings field shows it: `0.7`, `1`, `0.25`
/// (up to four decimals, so one set through the API shows as it is).
pub fn temperature_text(temperature: f32) -> String {
    decimal_text(f64::from(temperature), 4, '.', true).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(thousands(0, ','), "0");
        assert_eq!(thousands(999, ','), "999");
        assert_eq!(thousands(1_000, ','), "1,000");
        assert_eq!(thousands(400_000, '.'), "400.000");
        assert_eq!(thousands(12_345_678, ','), "12,345,678");
    }

    #[test]
    fn temperatures_read_as_typed() {
        assert_eq!(temperature_text(0.7), "0.7");
        assert_eq!(temperature_text(1.0), "1");
        assert_eq!(temperature_text(0.25), "0.25");
        assert_eq!(temperature_text(0.0), "0");
        assert_eq!(temperature_text(2.0), "2");
        assert_eq!(temperature_text(0.125), "0.125");
        assert_eq!(temperature_text(0.1), "0.1");
    }

    #[test]
    fn speeds_keep_one_decimal_in_the_reader_s_style() {
        assert_eq!(decimal_text(31.52, 1, '.', false).as_deref(), Some("31.5"));
        assert_eq!(decimal_text(31.56, 1, ',', false).as_deref(), Some("31,6"));
        assert_eq!(decimal_text(7.0, 1, '.', false).as_deref(), Some("7.0"));
        assert_eq!(decimal_text(0.04, 1, '.', false).as_deref(), Some("0.0"));
        assert_eq!(
            decimal_text(12345.0, 0, '.', false).as_deref(),
            Some("12345")
        );
    }

    #[test]
    fn signs_and_odd_values() {
        assert_eq!(decimal_text(-1.25, 2, '.', true).as_deref(), Some("-1.25"));
        assert_eq!(decimal_text(-0.001, 2, '.', true).as_deref(), Some("0"));
        assert_eq!(decimal_text(f64::NAN, 1, '.', false), None);
        assert_eq!(decimal_text(f64::INFINITY, 1, '.', false), None);
        assert_eq!(decimal_text(1e300, 1, '.', false), None);
    }
}
