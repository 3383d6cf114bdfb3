/// Numbers placeholders within one dialogue: the first phone is `[PHONE_1]`, the same phone
/// again is `[PHONE_1]` too, another one `[PHONE_2]`. Numbers that placeholders already in the
/// text use (text masked before, such as the bundled sample) are reserved, so a new value
/// never shares a placeholder with an old one.
struct PlaceholderBook {
    private var numbers: [PIIKind: [String: Int]] = [:]
    private var reserved: [PIIKind: Set<Int>] = [:]
    private var next: [PIIKind: Int] = [:]

    /// Marks `[KIND_number]` as taken by a placeholder already in the text.
    mutating func reserve(_ kind: PIIKind, _ number: Int) {
        reserved[kind, default: []].insert(number)
    }

    mutating func placeholder(for kind: PIIKind, key: String) -> String {
        if let existing = numbers[kind]?[key] { return "[\(kind.label)_\(existing)]" }
        var number = next[kind, default: 1]
        while reserved[kind]?.contains(number) == true { number += 1 }
        next[kind] = number + 1
        numbers[kind, default: [:]][key] = number
        return "[\(kind.label)_\(number)]"
    }

    /// The placeholders chattag writes (`[NAME_1]`, `[PHONE_12]`, `[POLICY_2]`) found in a
    /// text, with their kind and number: they pass through masking unchanged.
    static func placeholders(in bytes: [UInt8]) -> [(range: Range<Int>, kind: PIIKind, number: Int)] {
        var found: [(range: Range<Int>, kind: PIIKind, number: Int)] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x5B else {
                index += 1
                continue
            }
            var cursor = index + 1
            while cursor < bytes.count, bytes[cursor] >= 0x41, bytes[cursor] <= 0x5A { cursor += 1 }
            let labelEnd = cursor
            guard labelEnd > index + 1, cursor < bytes.count, bytes[cursor] == 0x5F else {
                index += 1
                continue
            }
            cursor += 1
            var number = 0
            let digitsStart = cursor
            while cursor < bytes.count, cursor - digitsStart < 6, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 {
                number = number * 10 + Int(bytes[cursor] - 0x30)
                cursor += 1
            }
            guard cursor > digitsStart, cursor < bytes.count, bytes[cursor] == 0x5D,
                let kind = labels[String(decoding: bytes[(index + 1)..<labelEnd], as: UTF8.self)]
            else {
                index += 1
                continue
            }
            found.append((index..<(cursor + 1), kind, number))
            index = cursor + 1
        }
        return found
    }

    private static let labels = Dictionary(uniqueKeysWithValues: PIIKind.allCases.map { ($0.label, $0) })

    /// The values masked as `kind` (their detection keys), in no particular order.
    func keys(of kind: PIIKind) -> [String] { numbers[kind].map { Array($0.keys) } ?? [] }
}
