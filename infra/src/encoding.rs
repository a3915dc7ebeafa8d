//! Small encodings shared by callers that hash things.

use std::fmt::Write;

/// Lowercase hexadecimal.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The bytes hexadecimal `text` stands for (either case); `None` when it is not an even run of hex digits.
#[must_use]
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_two_lowercase_digits_per_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xab]), "000fab");
        assert_eq!(super::unhex("000fAB"), Some(vec![0x00, 0x0f, 0xab]));
        assert_eq!(super::unhex("0g"), None);
        assert_eq!(super::unhex("abc"), None);
    }
}
