/// Check digits of Russian and international numbers, so a valid card or ИНН is masked
/// with certainty and a look-alike order number is not.
enum Checksums {
    /// Luhn (ISO/IEC 7812) check for bank cards.
    static func luhn(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 12 else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// ИНН of a company (10 digits) or a person (12 digits).
    static func inn(_ digits: [UInt8]) -> Bool {
        func check(_ weights: [Int], upTo count: Int) -> Int {
            var sum = 0
            for index in 0..<count { sum += weights[index] * Int(digits[index]) }
            return sum % 11 % 10
        }
        switch digits.count {
        case 10:
            return check([2, 4, 10, 3, 5, 9, 4, 6, 8], upTo: 9) == Int(digits[9])
        case 12:
            let first = check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8], upTo: 10)
            let second = check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], upTo: 11)
            return first == Int(digits[10]) && second == Int(digits[11])
        default:
            return false
        }
    }

    /// СНИЛС (11 digits: 9 + a two-digit check number).
    static func snils(_ digits: [UInt8]) -> Bool {
        guard digits.count == 11 else { return false }
        var sum = 0
        for index in 0..<9 { sum += Int(digits[index]) * (9 - index) }
        let expected: Int
        if sum < 100 {
            expected = sum
        } else if sum == 100 || sum == 101 {
            expected = 0
        } else {
            let rest = sum % 101
            expected = rest == 100 ? 0 : rest
        }
        return expected == Int(digits[9]) * 10 + Int(digits[10])
    }
}
