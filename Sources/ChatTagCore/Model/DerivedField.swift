/// A field chattag computes from the model's answers instead of asking for it:
/// `missed_lead: buying_interest and not next_step_offered`. A small model answers narrow
/// questions of evidence better than a decision; the decision is then a rule, the same for
/// every dialogue, and a wrong one traces back to the evidence that went wrong.
///
/// The formula is boolean: boolean field names, `field = value` for other fields, `not`,
/// `and`, `or` (that order of binding) and parentheses. The derived field is `true`/`false`.
public struct DerivedField: Sendable, Hashable, Codable {
    public var name: String
    public var formula: String
    /// The formula, parsed once (it is evaluated for every tag).
    let expression: Expression

    enum CodingKeys: String, CodingKey { case name, formula }

    /// A derived field; the formula is checked against the fields it may read.
    public init(name: String, formula: String, fields: [TaxonomyField]) throws {
        self.name = name
        self.formula = formula
        expression = try Self.parse(formula, fields: fields)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        formula = try container.decode(String.self, forKey: .formula)
        expression = try Self.parse(formula, fields: nil)
    }

    /// The value for an answer's values, or nil when a field it reads is missing.
    public func value(_ values: TagValues) -> String? {
        expression.evaluate(values).map { $0 ? "true" : "false" }
    }

    /// The fields the formula reads.
    public var reads: Set<String> { expression.fields }

    /// Why a formula is not one; the text names the token.
    public struct FormulaError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    indirect enum Expression: Hashable, Sendable {
        case field(String)
        case equals(String, String)
        case not(Expression)
        case and(Expression, Expression)
        case or(Expression, Expression)

        var fields: Set<String> {
            switch self {
            case let .field(name), let .equals(name, _): return [name]
            case let .not(inner): return inner.fields
            case let .and(left, right), let .or(left, right): return left.fields.union(right.fields)
            }
        }

        func evaluate(_ values: TagValues) -> Bool? {
            switch self {
            case let .field(name): return values[name].map { $0 == "true" }
            case let .equals(name, value): return values[name].map { $0 == value }
            case let .not(inner): return inner.evaluate(values).map { !$0 }
            case let .and(left, right):
                guard let a = left.evaluate(values), let b = right.evaluate(values) else { return nil }
                return a && b
            case let .or(left, right):
                guard let a = left.evaluate(values), let b = right.evaluate(values) else { return nil }
                return a || b
            }
        }
    }

    /// Parses a formula; with `fields`, every name must be one of them (a bare name a boolean field).
    static func parse(_ formula: String, fields: [TaxonomyField]?) throws -> Expression {
        var tokens: [String] = []
        var current = ""
        for character in formula {
            if character == "(" || character == ")" || character == "=" || character.isWhitespace {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if !character.isWhitespace { tokens.append(String(character)) }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var position = 0
        func peek() -> String? { position < tokens.count ? tokens[position] : nil }
        func take() -> String? {
            defer { position += 1 }
            return peek()
        }
        func field(_ name: String, boolean: Bool) throws -> String {
            if let fields {
                guard let known = fields.first(where: { $0.name == name }) else {
                    throw FormulaError(description: "\"\(name)\" is not a field of the template (\(fields.map(\.name).joined(separator: ", ")))")
                }
                if boolean && !known.isBoolean { throw FormulaError(description: "\"\(name)\" is not true/false: write \(name) = VALUE") }
            }
            return name
        }
        func primary() throws -> Expression {
            guard let token = take() else { throw FormulaError(description: "the formula ends too early") }
            switch token {
            case "not": return .not(try primary())
            case "(":
                let inner = try or()
                guard take() == ")" else { throw FormulaError(description: "a \"(\" is not closed") }
                return inner
            case ")", "=", "and", "or": throw FormulaError(description: "unexpected \"\(token)\"")
            default:
                if peek() == "=" {
                    position += 1
                    guard let value = take() else { throw FormulaError(description: "\"\(token) =\" needs a value") }
                    let name = try field(token, boolean: false)
                    if let fields, let known = fields.first(where: { $0.name == name }), !known.values.contains(value) {
                        throw FormulaError(description: "\"\(value)\" is not a value of \(name) (\(known.values.joined(separator: ", ")))")
                    }
                    return .equals(name, value)
                }
                return .field(try field(token, boolean: true))
            }
        }
        func and() throws -> Expression {
            var left = try primary()
            while peek() == "and" {
                position += 1
                left = .and(left, try primary())
            }
            return left
        }
        func or() throws -> Expression {
            var left = try and()
            while peek() == "or" {
                position += 1
                left = .or(left, try and())
            }
            return left
        }
        let expression = try or()
        if let extra = peek() { throw FormulaError(description: "unexpected \"\(extra)\" after the formula") }
        return expression
    }
}
