/// Numbers placeholders within one dialogue: the first phone is `[PHONE_1]`, the same phone
/// again is `[PHONE_1]` too, another one `[PHONE_2]`.
struct PlaceholderBook {
    private var numbers: [PIIKind: [String: Int]] = [:]

    mutating func placeholder(for kind: PIIKind, key: String) -> String {
        var known = numbers[kind, default: [:]]
        let number: Int
        if let existing = known[key] {
            number = existing
        } else {
            number = known.count + 1
            known[key] = number
            numbers[kind] = known
        }
        return "[\(kind.label)_\(number)]"
    }

    /// The values masked as `kind` (their detection keys), in no particular order.
    func keys(of kind: PIIKind) -> [String] { numbers[kind].map { Array($0.keys) } ?? [] }
}
