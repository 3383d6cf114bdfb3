import Foundation

/// How reports write words and numbers for people in one ``OutputLanguage``: a phrase in
/// both languages at the place it is used, durations such as «1 ч 05 мин», decimal commas in
/// Russian, counts with their denominators («16 из 37»).
///
/// ```swift
/// let words = Wording(.ru)
/// words.t("Без ответа", "Unanswered")   // "Без ответа"
/// words.duration(3_900)                 // "1 ч 05 мин"
/// words.decimal(0.853)                  // "0,85"
/// ```
public struct Wording: Sendable {
    public var language: OutputLanguage

    public init(_ language: OutputLanguage) {
        self.language = language
    }

    /// The phrase in this language.
    public func t(_ russian: String, _ english: String) -> String { language == .ru ? russian : english }

    /// A duration in seconds: `45 с`, `4 мин 12 с` (seconds kept under ten minutes), `25 мин`,
    /// `1 ч 05 мин`, `2 дн 3 ч`; in English `45 s`, `4 min 12 s`, `25 min`, `1 h 05 min`,
    /// `2 d 3 h`; `—` for none.
    public func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "—" }
        let whole = Int(seconds.rounded())
        let (s, min, h, d) = (t("с", "s"), t("мин", "min"), t("ч", "h"), t("дн", "d"))
        if whole < 60 { return "\(whole) \(s)" }
        if whole < 600 { return whole % 60 == 0 ? "\(whole / 60) \(min)" : "\(whole / 60) \(min) \(whole % 60) \(s)" }
        if whole < 3600 { return "\(Int((Double(whole) / 60).rounded())) \(min)" }
        if whole < 86_400 { return "\(whole / 3600) \(h) \(String(format: "%02d", whole / 60 % 60)) \(min)" }
        return "\(whole / 86_400) \(d) \(whole / 3600 % 24) \(h)"
    }

    /// A signed duration change: `+1 мин 05 с`, `−20 с`; `0` for none; `—` when either side is missing.
    public func durationChange(_ now: Double?, _ before: Double?) -> String {
        guard let now, let before else { return "—" }
        let delta = now - before
        if delta.rounded() == 0 { return "0" }
        return (delta > 0 ? "+" : "−") + duration(abs(delta))
    }

    /// A number with `digits` decimals and the language's decimal mark: `0,85` / `0.85`.
    public func decimal(_ value: Double, digits: Int = 2) -> String {
        let text = String(format: "%.\(digits)f", value).replacingOccurrences(of: "-", with: "−")
        return language == .ru ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A signed number: `+0,050`, `−0,120`; zero has no sign.
    public func signed(_ value: Double, digits: Int = 3) -> String {
        let magnitude = decimal(abs(value), digits: digits)
        if Double(String(format: "%.\(digits)f", abs(value))) == 0 { return magnitude }
        return (value > 0 ? "+" : "−") + magnitude
    }

    /// `37%`; `—` for none.
    public func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        return "\(Int((rate * 100).rounded()))%"
    }

    /// `+3`, `−2`, `0`.
    public func change(_ value: Int) -> String { value > 0 ? "+\(value)" : value < 0 ? "−\(-value)" : "0" }

    /// A count with its denominator: `16 из 37` / `16 of 37`.
    public func of(_ part: Int, _ whole: Int) -> String { "\(part) \(t("из", "of")) \(whole)" }

    /// A p-value as people read it: `p < 0,0001` below that, else `p = 0,0123`.
    public func pValue(_ p: Double) -> String {
        p < 0.0001 ? "p < \(decimal(0.0001, digits: 4))" : "p = \(decimal(p, digits: 4))"
    }

    /// A whole number for a dialogue count in prose: «3 диалога», «5 диалогов», «1 dialogue».
    public func dialogues(_ count: Int) -> String {
        switch language {
        case .en: return count == 1 ? "1 dialogue" : "\(count) dialogues"
        case .ru: return "\(count) " + Self.russianPlural(count, one: "диалог", few: "диалога", many: "диалогов")
        }
    }

    /// The Russian plural form for `count`: 1 диалог, 2 диалога, 5 диалогов, 21 диалог.
    public static func russianPlural(_ count: Int, one: String, few: String, many: String) -> String {
        let tens = abs(count) % 100, units = abs(count) % 10
        if (11...14).contains(tens) { return many }
        if units == 1 { return one }
        if (2...4).contains(units) { return few }
        return many
    }
}
