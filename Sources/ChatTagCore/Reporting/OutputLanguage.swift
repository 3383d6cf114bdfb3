/// The language of everything chattag writes for people: terminal tables, Markdown, HTML,
/// the weekly CSV's headers, the validate and compare pages. Russian first; JSON keys and the
/// machine CSV of `export` never change with it.
public enum OutputLanguage: String, Sendable, CaseIterable, Codable {
    case ru
    case en

    /// The language `CHATTAG_LANG` names (`ru`, `en`, also `ru_RU.UTF-8`-style values); nil
    /// when unset or unknown.
    public init?(environmentValue value: String?) {
        guard let value, value.count >= 2 else { return nil }
        self.init(rawValue: String(value.prefix(2)).lowercased())
    }
}
