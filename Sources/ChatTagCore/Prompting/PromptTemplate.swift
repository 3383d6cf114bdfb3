import Foundation

/// A versioned prompt template: front matter (name, version, description, request
/// parameters, the taxonomy fields) and the system and user messages with `{{dialogue}}` and
/// `{{taxonomy}}` placeholders.
///
/// ```
/// ---
/// name: tagging
/// version: 1
/// temperature: 0
/// max_tokens: 150
/// seed: 42
/// fields:
///   intent: [booking, question, complaint, other]
/// ---
/// ## system
/// …
/// ## user
/// {{taxonomy}} … {{dialogue}}
/// ```
///
/// `hash` identifies exactly what is sent: the SHA-256 of the file's bytes with line endings
/// made LF, followed by the framing chattag adds around them (``DialogueFraming``: its
/// rendering version, the system notice and the dialogue's boundary lines). A new rendering
/// therefore gives every template a new hash, and tags made under the old one are not reused.
public struct PromptTemplate: Sendable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    public var temperature: Double?
    public var maxTokens: Int?
    public var seed: Int?
    public var taxonomy: Taxonomy
    public var system: String
    public var user: String
    /// The LF-normalized text of the file.
    public var text: String
    /// The SHA-256 of ``text`` and of the rendering around it, hex (see the type's comment).
    public var hash: String
    /// Where it came from: `builtin:prompts/tagging/v1.md` or a file path.
    public var origin: String

    /// `name@version`, the way users name a template.
    public var id: String { "\(name)@\(version)" }

    /// `text` with CRLF and lone CR line endings made LF. Works on the UTF-8 bytes: Foundation's
    /// `replacingOccurrences` on Linux folds Unicode and took milliseconds on a Cyrillic template.
    static func lfNormalized(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == 10, afterCR {
                afterCR = false
                continue
            }
            afterCR = byte == 13
            bytes.append(afterCR ? 10 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` without leading and trailing whitespace (newlines included). Foundation's
    /// `trimmingCharacters` goes through NSString on Linux, which costs more than the parse.
    static func trimmed<Text: StringProtocol>(_ text: Text) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }

    /// The prompt hash of an LF-normalized file under the current rendering.
    static func hash(ofFile text: String) -> String { Digest.sha256Hex(text + DialogueFraming.identity) }

    /// Parses a template file's text; `origin` names it in errors.
    public static func parse(_ rawText: String, origin: String) throws -> PromptTemplate {
        let text = lfNormalized(rawText)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fail(_ line: Int, _ problem: String) -> PromptError { .malformed(file: origin, line: line, problem: problem) }
        guard lines.first == "---" else { throw fail(1, "the file must start with a front matter line `---`") }
        guard let close = lines.dropFirst().firstIndex(of: "---") else { throw fail(1, "the front matter is not closed with `---`") }
        var values: [String: String] = [:]
        var fields: [TaxonomyField] = []
        var inFields = false
        var inDerived = false
        var formulas: [(name: String, formula: String, line: Int)] = []
        for index in 1..<close {
            let line = lines[index]
            if Self.trimmed(line).isEmpty || line.hasPrefix("#") { continue }
            if inDerived, line.hasPrefix(" ") || line.hasPrefix("\t") {
                let parts = line.split(separator: ":", maxSplits: 1).map(Self.trimmed)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw fail(index + 1, "a derived field must read `  name: formula`, e.g. `  missed_lead: buying_interest and not next_step_offered`")
                }
                formulas.append((parts[0], parts[1], index + 1))
                continue
            }
            if inFields, line.hasPrefix(" ") || line.hasPrefix("\t") {
                let parts = line.split(separator: ":", maxSplits: 1).map(Self.trimmed)
                guard parts.count == 2, parts[1].hasPrefix("["), parts[1].hasSuffix("]") else {
                    throw fail(index + 1, "a field must read `  name: [value, value]`")
                }
                let list = parts[1].dropFirst().dropLast().split(separator: ",").map(Self.trimmed).filter { !$0.isEmpty }
                guard !list.isEmpty else { throw fail(index + 1, "field \(parts[0]) lists no values") }
                fields.append(TaxonomyField(name: parts[0], values: list))
                continue
            }
            inFields = false
            inDerived = false
            if Self.trimmed(line) == "fields:" {
                inFields = true
                continue
            }
            if Self.trimmed(line) == "derived:" {
                inDerived = true
                continue
            }
            let parts = line.split(separator: ":", maxSplits: 1).map(Self.trimmed)
            guard parts.count == 2 else { throw fail(index + 1, "expected `key: value`") }
            values[parts[0]] = parts[1]
        }
        guard let name = values["name"], !name.isEmpty else { throw fail(2, "the front matter has no `name:`") }
        guard let version = values["version"], !version.isEmpty else { throw fail(2, "the front matter has no `version:`") }
        var derived: [DerivedField] = []
        for item in formulas {
            guard !fields.contains(where: { $0.name == item.name }), !derived.contains(where: { $0.name == item.name }) else {
                throw fail(item.line, "\(item.name) is asked and derived at once; a derived field is computed, never asked")
            }
            do {
                derived.append(try DerivedField(name: item.name, formula: item.formula, fields: fields))
            } catch let error as DerivedField.FormulaError {
                throw fail(item.line, "derived field \(item.name): \(error.description)")
            }
        }
        var template = PromptTemplate(
            name: name, version: version, description: values["description"] ?? "", temperature: nil, maxTokens: nil, seed: nil,
            taxonomy: fields.isEmpty ? .default : Taxonomy(fields: fields, derived: derived), system: "", user: "", text: text,
            hash: hash(ofFile: text), origin: origin)
        if let value = values["temperature"] {
            guard let number = Double(value), (0...2).contains(number) else { throw fail(2, "temperature must be a number from 0 to 2") }
            template.temperature = number
        }
        if let value = values["max_tokens"] {
            guard let number = Int(value), number > 0 else { throw fail(2, "max_tokens must be a positive whole number") }
            template.maxTokens = number
        }
        if let value = values["seed"] {
            guard let number = Int(value) else { throw fail(2, "seed must be a whole number") }
            template.seed = number
        }
        var sections: [String: [String]] = [:]
        var current: String?
        var sectionLine: [String: Int] = [:]
        for index in (close + 1)..<lines.count {
            let line = lines[index]
            if line.hasPrefix("## ") {
                let title = Self.trimmed(line.dropFirst(3)).lowercased()
                guard title == "system" || title == "user" else { throw fail(index + 1, "unknown section `## \(title)`; use `## system` and `## user`") }
                current = title
                sectionLine[title] = index + 1
                sections[title] = []
                continue
            }
            if let current {
                sections[current, default: []].append(line)
            } else if !Self.trimmed(line).isEmpty {
                throw fail(index + 1, "text before `## system`")
            }
        }
        template.system = Self.trimmed((sections["system"] ?? []).joined(separator: "\n"))
        template.user = Self.trimmed((sections["user"] ?? []).joined(separator: "\n"))
        guard !template.user.isEmpty else { throw fail(close + 2, "the template has no `## user` message") }
        for placeholder in ["{{dialogue}}"] where template.user.ranges(of: placeholder).count != 1 {
            throw fail(sectionLine["user"] ?? close + 2, "the user message must contain \(placeholder) exactly once")
        }
        let known = ["{{dialogue}}", "{{taxonomy}}"]
        var rest = template.system + template.user
        for placeholder in known { rest = rest.replacing(placeholder, with: "") }
        if let range = rest.firstRange(of: "{{") {
            let unknown = rest[range.lowerBound...].prefix(30)
            throw fail(sectionLine["user"] ?? close + 2, "unknown placeholder \(unknown)…; only {{dialogue}} and {{taxonomy}} exist")
        }
        return template
    }

    /// The taxonomy as the model reads it: one line per field with its allowed values.
    public var taxonomyText: String {
        taxonomy.fields.map { field in
            field.isBoolean ? "- \(field.name): true или false (JSON boolean)" : "- \(field.name): одно из \(field.values.joined(separator: ", "))"
        }.joined(separator: "\n")
    }

    /// The messages with the taxonomy filled in, the framing's notice at the end of the system
    /// message, and the user message cut at `{{dialogue}}` with the dialogue's boundary lines
    /// around the cut; worked out once per run so each call only joins three strings.
    public struct Filled: Sendable {
        public var system: String
        public var userBeforeDialogue: String
        public var userAfterDialogue: String

        public func messages(dialogue: String) -> (system: String, user: String) {
            (system, userBeforeDialogue + dialogue + userAfterDialogue)
        }
    }

    public func filled() -> Filled {
        let taxonomy = taxonomyText
        let system = self.system.replacing("{{taxonomy}}", with: taxonomy)
        let user = self.user.replacing("{{taxonomy}}", with: taxonomy)
        let parts = user.split(separator: "{{dialogue}}", omittingEmptySubsequences: false)
        // The boundary lines are whole lines even where the placeholder sits inside one.
        var before = String(parts.first ?? "")
        if !before.isEmpty, !before.hasSuffix("\n") { before += "\n" }
        var after = parts.dropFirst().joined(separator: "")
        if !after.isEmpty, !after.hasPrefix("\n") { after = "\n" + after }
        return Filled(
            system: DialogueFraming.system(system), userBeforeDialogue: before + DialogueFraming.opening + "\n",
            userAfterDialogue: "\n" + DialogueFraming.closing + after)
    }

    /// The system and user messages for one rendered dialogue.
    public func messages(dialogue: String) -> (system: String, user: String) {
        filled().messages(dialogue: dialogue)
    }
}
