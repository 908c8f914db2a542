//! CRC32C (Castagnoli), hardware-accelerated where the processor has it: the check every stored
//! byte carries.

/// CRC32C over the parts, in order, as if they were one buffer.
pub fn crc(parts: &[&[u8]]) -> u32 {
    parts.iter().fold(0, |c, p| crc32c::crc32c_append(c, p))
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_value_and_parts_equal_the_whole() {
        // The check value of CRC-32C (RFC 3720, appendix B.4).
        assert_eq!(super::crc(&[b"123456789"]), 0xE306_9283);
        assert_eq!(super::crc(&[b"1234", b"", b"56789"]), 0xE306_9283);
    }
}
