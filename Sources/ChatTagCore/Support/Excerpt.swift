/// A short, one-line excerpt of an (already anonymized) message for reports: line breaks
/// become spaces, and a long text is cut at a word with "…".
public enum Excerpt {
    public static func of(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit - 1)
        let word = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return word + "…"
    }
}
