/// One declaration in `instrument show --json` (the keys listed in docs/json.md under `instrument-show`).
public struct InstrumentListing: Encodable, Sendable, Equatable {
    public var prompt: PromptIdentity
    public var model: String
    public var countsFrom: String
    public var declaredAt: String
    /// `tags` or `rubric`.
    public var role: String

    enum CodingKeys: String, CodingKey {
        case prompt, model, role
        case countsFrom = "counts_from"
        case declaredAt = "declared_at"
    }

    public init(_ declaration: DeclaredInstrument) {
        let instrument = declaration.instrument
        prompt = PromptIdentity(name: instrument.promptName, version: instrument.promptVersion, hash: instrument.promptHash)
        model = instrument.model
        countsFrom = declaration.countsFrom
        declaredAt = declaration.declaredAt
        role = declaration.role.rawValue
    }
}
