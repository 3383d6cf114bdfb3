import Foundation

/// The templates chattag knows: those shipped inside the binary, plus a `prompts/` folder in
/// the working directory or `--prompts DIR` (env `CHATTAG_PROMPTS`), which add templates and
/// override shipped ones of the same name and version.
public struct PromptLibrary: Sendable {
    public private(set) var templates: [PromptTemplate] = []

    /// Loads the shipped templates and then every `*.md` under each directory, in order.
    /// A broken file is an error (with its line), never silently skipped.
    public init(directories: [String]) throws {
        var byID: [String: PromptTemplate] = [:]
        var order: [String] = []
        func add(_ template: PromptTemplate) {
            if byID[template.id] == nil { order.append(template.id) }
            byID[template.id] = template
        }
        for (path, text) in ShippedPrompts.files {
            add(try PromptTemplate.parse(text, origin: "builtin:" + path))
        }
        let manager = FileManager.default
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let files = (manager.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".md") }.sorted()
            for file in files {
                let path = (directory as NSString).appendingPathComponent(file)
                guard let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw PromptError.malformed(file: path, line: 1, problem: "cannot read the file as UTF-8")
                }
                add(try PromptTemplate.parse(text, origin: path))
            }
        }
        templates = order.compactMap { byID[$0] }
    }

    /// The template named `name@version`; a bare name means its highest version.
    public func template(_ id: String) throws -> PromptTemplate {
        let parts = id.split(separator: "@", maxSplits: 1).map(String.init)
        let matches = templates.filter { $0.name == parts.first }
        let found: PromptTemplate?
        if parts.count == 2 {
            found = matches.first { $0.version == parts[1] }
        } else {
            found = matches.max { $0.version.compare($1.version, options: .numeric) == .orderedAscending }
        }
        guard let found else { throw PromptError.notFound(id, available: templates.map(\.id)) }
        return found
    }

    /// The template named exactly `name@version`: measurements (validate, compare, export,
    /// the production instrument) never guess a version. A bare name is refused with the
    /// versions there are.
    public func exactTemplate(_ id: String) throws -> PromptTemplate {
        guard id.contains("@") else {
            let versions = templates.filter { $0.name == id }.map(\.id)
            throw PromptError.versionRequired(id, versions: versions)
        }
        return try template(id)
    }
}
