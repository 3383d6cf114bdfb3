/// Whether a dialogue's tag was made, as stored in `tags.status`.
public enum TagStatus: String, Sendable, CaseIterable {
    /// The tag has values: the model (or the baseline) answered with a valid tag.
    case ok
    /// No values: every attempt failed; the tag's `error` says why.
    case failed
}
