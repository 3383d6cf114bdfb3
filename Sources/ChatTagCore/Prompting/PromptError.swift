/// Why a prompt template cannot be used. Messages end with what to do.
public enum PromptError: Error, CustomStringConvertible, Equatable {
    case malformed(file: String, line: Int, problem: String)
    case notFound(String, available: [String])
    case changed(id: String, recordedHash: String, currentHash: String)
    case versionRequired(String, versions: [String])
    /// A batch file's requests were prepared under another hash than the template has now.
    case preparedDifferently(id: String, file: String, preparedHash: String, currentHash: String)

    public var description: String {
        switch self {
        case let .malformed(file, line, problem):
            return "\(file): line \(line): \(problem). Fix the template (see prompts/tagging/v1.md for the format) and run `chattag prompts check`."
        case let .notFound(id, available):
            return "no prompt template \(id). Available: \(available.joined(separator: ", ")). Name one as NAME@VERSION, e.g. tagging@1."
        case let .versionRequired(name, versions):
            if versions.isEmpty {
                return "no prompt template \(name). Name one as NAME@VERSION, e.g. tagging@1 (`chattag prompts list` shows them)."
            }
            return "\(name) has several versions and the figures differ between them: name one of \(versions.joined(separator: ", "))."
        case let .preparedDifferently(id, file, prepared, current):
            return
                "\(file): its requests were prepared with \(id) at hash \(prepared.prefix(12))…, but \(id) now hashes to \(current.prefix(12))… (the template file, or how chattag renders dialogues, changed since `batch prepare`). Its tags would not match what this chattag sends: prepare the batch again (`chattag batch prepare`) and submit that file."
        case let .changed(id, recorded, current):
            return
                "\(id) was used with hash \(recorded.prefix(12))… but the file now hashes to \(current.prefix(12))…. Tags made with the old text would mix with new ones: save your change as a new version (bump `version:` and the file name) and run again."
        }
    }
}
