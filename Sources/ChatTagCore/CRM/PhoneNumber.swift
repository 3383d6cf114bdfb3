/// Phone numbers in one notation, so a number written in a chat and the same number in the
/// CRM compare equal, and their keyed form, the only form chattag stores.
///
/// Russian notations all become `+7XXXXXXXXXX`: `+7 916 123-45-67`, `8 (916) 123-45-67`,
/// `89161234567`, `7-916-123-45-67`, and a number without its country code, `916 123 45 67`.
/// Other international numbers keep their digits after a `+`.
///
/// ```swift
/// PhoneNumber.normalized("8 (916) 123-45-67")          // "+79161234567"
/// PhoneNumber.key("+7 916 123 45 67", with: key)       // "p-3fa2…" (32 hex digits)
/// ```
public enum PhoneNumber {
    /// The number in canonical form, or nil when the text does not hold a whole number
    /// (a local 7-digit number, a fragment, or too many digits).
    public static func normalized(_ text: String) -> String? {
        var digits: [UInt8] = []
        var plus = false
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte)
            } else if byte == 0x2B && digits.isEmpty {
                plus = true
            }
        }
        let number = String(decoding: digits, as: UTF8.self)
        switch digits.count {
        case 10 where !plus:
            return "+7" + number
        case 11 where digits[0] == 0x37 || (digits[0] == 0x38 && !plus):
            return "+7" + number.dropFirst()
        case 11...15 where plus:
            return "+" + number
        default:
            return nil
        }
    }

    /// The keyed form of a number: HMAC-SHA-256 of its canonical notation with the pseudonym
    /// key, 32 hex digits after `p-`. Nil when the text is not a whole number.
    public static func key(_ text: String, with pseudonyms: Pseudonymizer) -> String? {
        normalized(text).map { "p-" + pseudonyms.tag("phone|" + $0, length: 32) }
    }
}
