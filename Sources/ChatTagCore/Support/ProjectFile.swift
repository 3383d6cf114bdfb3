import Foundation

/// `chattag.toml`: a project's settings, so a weekly job needs no long command line. Values
/// here are the lowest layer: environment variables beat them, command-line flags beat both.
///
/// ```toml
/// db = "salon.db"
/// tz = "Europe/Moscow"
/// staff = ["Анна", "Ольга"]
/// prompt = "tagging@2"
/// model = "gpt-4.1-mini"
/// [prices."gpt-4.1-mini"]
/// input = 0.40
/// output = 1.60
/// ```
///
/// The file is read as a TOML subset: `key = "string"`, `key = ["a", "b"]`, numbers,
/// comments, and `[prices."MODEL"]` tables. Anything else is refused with its line, so a
/// typo never silently falls back to a default.
public struct ProjectFile: Sendable, Equatable {
    public var db: String?
    public var tz: String?
    public var staff: [String]?
    public var bots: [String]?
    /// The default `--prompt` (NAME@VERSION).
    public var prompt: String?
    /// The default `--model`.
    public var model: String?
    public var baseURL: String?
    public var sessionGap: String?
    public var replyWindow: String?
    /// The default `import --max-unzipped-size` (e.g. `"2G"`).
    public var maxUnzippedSize: String?
    /// The default `import --max-unzip-ratio` (e.g. `200`).
    public var maxUnzipRatio: String?
    /// Tags with a field less sure than this (0…1) wait for review instead of counting as facts.
    public var reviewBelow: Double?
    /// USD per 1M tokens, by model.
    public var prices: [String: (input: Double, output: Double)] = [:]

    public init() {}

    public static func == (lhs: ProjectFile, rhs: ProjectFile) -> Bool {
        lhs.db == rhs.db && lhs.tz == rhs.tz && lhs.staff == rhs.staff && lhs.bots == rhs.bots && lhs.prompt == rhs.prompt && lhs.model == rhs.model
            && lhs.baseURL == rhs.baseURL && lhs.sessionGap == rhs.sessionGap && lhs.replyWindow == rhs.replyWindow
            && lhs.maxUnzippedSize == rhs.maxUnzippedSize && lhs.maxUnzipRatio == rhs.maxUnzipRatio && lhs.reviewBelow == rhs.reviewBelow
            && lhs.prices.mapValues { [$0.input, $0.output] } == rhs.prices.mapValues { [$0.input, $0.output] }
    }

    /// The name looked for in the current folder.
    public static let defaultName = "chattag.toml"

    static let stringKeys: Set<String> = ["db", "tz", "prompt", "model", "base_url", "session_gap", "reply_window", "max_unzipped_size"]
    static let listKeys: Set<String> = ["staff", "bots"]

    /// Parses the file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> ProjectFile {
        var project = ProjectFile()
        var table: String?
        var partial: [String: (input: Double?, output: Double?)] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            func fail(_ problem: String) -> ImportError {
                .malformed(file: file, line: lineNumber, problem: problem, fix: "Fix the line (see `chattag init` for a commented example).")
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.hasPrefix("[prices.") else { throw fail("only [prices.\"MODEL\"] tables are known, not \(line.prefix(40))") }
                let name = line.dropFirst("[prices.".count).dropLast().trimmingCharacters(in: .whitespaces)
                guard let model = unquote(name), !model.isEmpty else { throw fail("the model name of a prices table is a quoted string") }
                table = model
                partial[model] = partial[model] ?? (nil, nil)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail("expected key = value") }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let model = table {
                guard key == "input" || key == "output" else { throw fail("a prices table takes input and output (USD per 1M tokens), not \(key)") }
                guard let number = Double(value), number >= 0, number.isFinite else { throw fail("\(key) is a price in USD per 1M tokens, such as 0.40") }
                if key == "input" { partial[model]?.input = number } else { partial[model]?.output = number }
                continue
            }
            if stringKeys.contains(key) {
                guard let text = unquote(value) else { throw fail("\(key) takes a quoted string") }
                switch key {
                case "db": project.db = text
                case "tz": project.tz = text
                case "prompt": project.prompt = text
                case "model": project.model = text
                case "base_url": project.baseURL = text
                case "reply_window": project.replyWindow = text
                case "max_unzipped_size": project.maxUnzippedSize = text
                default: project.sessionGap = text
                }
            } else if key == "review_below" {
                guard let number = Double(value), number > 0, number <= 1 else { throw fail("review_below takes a confidence between 0 and 1, such as 0.7") }
                project.reviewBelow = number
            } else if key == "max_unzip_ratio" {
                guard let number = Double(value), number >= 1, number.isFinite else { throw fail("max_unzip_ratio takes a number of at least 1, such as 200") }
                project.maxUnzipRatio = value
            } else if listKeys.contains(key) {
                guard value.hasPrefix("["), value.hasSuffix("]") else { throw fail("\(key) takes a list such as [\"Анна\", \"Ольга\"]") }
                let inner = value.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                var names: [String] = []
                if !inner.isEmpty {
                    for item in splitList(inner) {
                        guard let name = unquote(item.trimmingCharacters(in: .whitespaces)) else { throw fail("\(key) takes quoted names") }
                        names.append(name)
                    }
                }
                if key == "staff" { project.staff = names } else { project.bots = names }
            } else {
                throw fail(
                    "unknown key \(key) (known: db, tz, staff, bots, prompt, model, base_url, session_gap, reply_window, max_unzipped_size, max_unzip_ratio, review_below, [prices.\"MODEL\"])"
                )
            }
        }
        for (model, price) in partial {
            guard let input = price.input, let output = price.output else {
                throw ImportError.malformed(
                    file: file, line: 1, problem: "the prices of \(model) need both input and output", fix: "Add the missing price (USD per 1M tokens).")
            }
            project.prices[model] = (input, output)
        }
        return project
    }

    /// The commented file `chattag init` writes.
    public static let template = """
        # chattag project settings. Command-line flags beat environment variables, which beat this file.
        # The API key never goes here: set OPENAI_API_KEY or pass --api-key-file.

        # The SQLite database (anonymized chats, tags, the audit log).
        db = "chattag.db"
        # The zone of exports whose times carry no offset, and of report weeks.
        tz = "Europe/Moscow"
        # The business's own people: their messages are staff, their names are kept.
        staff = []
        # The business's bots.
        bots = []
        # The default prompt template (NAME@VERSION) and model of run, validate, report and export.
        prompt = "tagging@1"
        model = "baseline"
        # An OpenAI-compatible endpoint (a local model server works too).
        # base_url = "https://api.openai.com/v1"
        # Once the business has replied, a long chat is cut into dialogues at gaps longer than this.
        session_gap = "12h"
        # A client message waiting for a reply keeps its dialogue open this long (a Monday reply stays with Friday's question).
        reply_window = "7d"
        # Archives (WhatsApp .zip): the most one entry may inflate to, and per compressed byte.
        # max_unzipped_size = "2G"
        # max_unzip_ratio = 200

        # Prices in USD per 1M tokens, for cost estimates and --max-cost.
        # [prices."gpt-4.1-mini"]
        # input = 0.40
        # output = 1.60

        """

    static func stripComment(_ line: String) -> String {
        var inString = false
        var result = ""
        for character in line {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { break }
            result.append(character)
        }
        return result
    }

    static func unquote(_ text: String) -> String? {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        let inner = text.dropFirst().dropLast()
        guard !inner.contains("\"") else { return nil }
        return String(inner).replacingOccurrences(of: "\\\\", with: "\\")
    }

    static func splitList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var inString = false
        for character in text {
            if character == "\"" { inString.toggle() }
            if character == "," && !inString {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { items.append(current) }
        return items
    }
}
