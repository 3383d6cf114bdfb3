/// One template in `prompts list --json` (the keys listed in docs/json.md under `prompts-list`).
public struct PromptListing: Encodable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var hash: String
    /// Where the template comes from: `shipped:…` or a file path.
    public var path: String
    public var description: String

    public init(_ template: PromptTemplate) {
        name = template.name
        version = template.version
        hash = template.hash
        path = template.origin
        description = template.description
    }
}
