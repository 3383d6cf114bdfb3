/// How spread a model's answers are: one value of a field covering ≥ 90% of ≥ 50 dialogues
/// means the model answers almost the same for every dialogue — it may be too small for the
/// template — and the tags say little. (One combination of all fields covering ≥ 90% makes each
/// of its fields do so too, so the per-field check catches it.)
///
/// ```swift
/// var spread = AnswerSpread()
/// for values in tags { spread.add(values) }
/// spread.warnings(taxonomy: template.taxonomy)   // ["the model answers almost the same …"]
/// ```
public struct AnswerSpread: Sendable, Equatable {
    /// At least this many answers before the check speaks.
    public static let minimumAnswers = 50
    /// The share of one value that calls a field's answers constant.
    public static let constantShare = 0.9

    /// Per field, how often each value was answered.
    public private(set) var counts: [String: [String: Int]] = [:]

    public init() {}

    /// Counts one answer's values.
    public mutating func add(_ values: TagValues) {
        for (field, value) in values { counts[field, default: [:]][value, default: 0] += 1 }
    }

    /// Counts `n` answers of `value` for `field` (for figures that keep only per-field counts).
    public mutating func add(field: String, value: String, times n: Int) {
        guard n > 0 else { return }
        counts[field, default: [:]][value, default: 0] += n
    }

    /// The warnings, one per field that is constant, each with the distribution. Empty when the answers vary or are too few to tell.
    public func warnings(taxonomy: Taxonomy, _ w: Wording = Wording(.en)) -> [String] {
        let advice = w.t(
            "Возможно, модель слишком мала для этого шаблона; сверьте теги с ручной разметкой, прежде чем им доверять.",
            "It may be too small for this template; check the tags against hand labels before trusting them.")
        var lines: [String] = []
        for field in taxonomy.fields {
            guard let values = counts[field.name] else { continue }
            let total = values.values.reduce(0, +)
            guard total >= Self.minimumAnswers, let top = values.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
                Double(top.value) / Double(total) >= Self.constantShare
            else { continue }
            lines.append(
                w.t(
                    "модель отвечает почти одно и то же на каждый диалог: \(field.name) = \(top.key) в \(top.value) из \(total) (\(Self.distribution(values, total: total))). ",
                    "the model answers almost the same for every dialogue: \(field.name) is \(top.key) in \(top.value) of \(total) (\(Self.distribution(values, total: total))). ")
                    + advice)
        }
        return lines
    }

    static func distribution(_ values: [String: Int], total: Int) -> String {
        values.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \(Int((Double($0.value) / Double(total) * 100).rounded()))%" }.joined(separator: ", ")
    }
}
