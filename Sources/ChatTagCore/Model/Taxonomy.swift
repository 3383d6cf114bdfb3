/// One field a template asks the model for, with its allowed values
/// (`missed_lead: [true, false]` is a boolean field).
public struct TaxonomyField: Sendable, Hashable, Codable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// A field whose values are exactly true and false: sent and parsed as a JSON boolean.
    public var isBoolean: Bool { values.allSatisfy { $0 == "true" || $0 == "false" } && values.contains("true") && values.contains("false") }
}

/// The fields and values a template tags with. The default is the one docs/formats.md describes.
/// `fields` are asked of the model, in the order it answers; `derived` are computed by chattag
/// from the answers (``DerivedField``), never asked.
public struct Taxonomy: Sendable, Hashable, Codable {
    public var fields: [TaxonomyField]
    public var derived: [DerivedField]

    public init(fields: [TaxonomyField], derived: [DerivedField] = []) {
        self.fields = fields
        self.derived = derived
    }

    /// Every field a tag holds and is measured on: the asked ones, then the derived ones (true/false).
    public var measured: [TaxonomyField] { fields + derived.map { TaxonomyField(name: $0.name, values: ["true", "false"]) } }

    /// The answer's values with the derived fields computed from them.
    public func deriving(_ values: TagValues) -> TagValues {
        guard !derived.isEmpty else { return values }
        var all = values
        for field in derived { if let value = field.value(values) { all[field.name] = value } }
        return all
    }

    public static let `default` = Taxonomy(fields: [
        TaxonomyField(name: "intent", values: ["booking", "question", "complaint", "other"]),
        TaxonomyField(name: "sentiment", values: ["positive", "neutral", "negative"]),
        TaxonomyField(name: "missed_lead", values: ["true", "false"]),
    ])

    /// The manager rubric (`rubric@1`): what the business did in the dialogue. First-response
    /// points come from timestamps and are never asked.
    public static let rubric = Taxonomy(fields: [
        TaxonomyField(name: "needs_clarified", values: ["full", "partial", "none"]),
        TaxonomyField(name: "offer_made", values: ["true", "false"]),
        TaxonomyField(name: "rude_or_error", values: ["true", "false"]),
        TaxonomyField(name: "recommended_action", values: ["template_reply", "clarify", "redirect", "none"]),
    ])

    /// Whether this taxonomy asks the rubric's fields (the role a declared instrument plays).
    public var isRubric: Bool { Set(fields.map(\.name)).isSuperset(of: Self.rubric.fields.map(\.name)) }

    public func field(_ name: String) -> TaxonomyField? { fields.first { $0.name == name } }
}

/// The values a tag holds, field name to normalized value (`"booking"`, `"true"`).
public typealias TagValues = [String: String]
