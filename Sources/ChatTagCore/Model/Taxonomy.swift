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
public struct Taxonomy: Sendable, Hashable, Codable {
    public var fields: [TaxonomyField]

    public init(fields: [TaxonomyField]) {
        self.fields = fields
    }

    public static let `default` = Taxonomy(fields: [
        TaxonomyField(name: "intent", values: ["booking", "question", "complaint", "other"]),
        TaxonomyField(name: "sentiment", values: ["positive", "neutral", "negative"]),
        TaxonomyField(name: "missed_lead", values: ["true", "false"]),
    ])

    public func field(_ name: String) -> TaxonomyField? { fields.first { $0.name == name } }
}

/// The values a tag holds, field name to normalized value (`"booking"`, `"true"`).
public typealias TagValues = [String: String]
