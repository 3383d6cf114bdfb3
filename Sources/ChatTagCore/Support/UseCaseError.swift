/// Why a use case (import, run, validate, report, …) stopped or ended short. Each case
/// carries the facts, and its message ends with what to do.
public enum UseCaseError: ChatTagError, Equatable {
    /// A read-only command was pointed at a database that does not exist.
    case noDatabase(path: String, demoDatabase: String?)
    /// An input file cannot be read.
    case unreadable(path: String, reason: String)
    /// An output file cannot be created or written.
    case cannotWrite(path: String, reason: String)
    /// No hand label belongs to an imported dialogue.
    case noHandLabels
    /// No run used this prompt and/or model.
    case noRun(description: String)
    /// A batch output line that `batch prepare` did not make.
    case notBatchOutput(file: String, line: Int)
    /// A batch output names a run that is not in this database.
    case unknownRun(file: String, runID: Int64, database: String)
    /// Some dialogues (or results, or files) failed; the work that succeeded is stored.
    case someFailed(String)
    /// Some files were refused; `exitCode` is the first refusal's.
    case filesRefused(count: Int, code: ExitStatus)
    /// An option's value is wrong.
    case badOption(String)
    /// No dialogue with a hand label has a tag of this prompt and model.
    case noTags(prompt: String, model: String)
    /// Tags exist but no production instrument was declared; `suggestion` is `NAME@VERSION MODEL`.
    case noInstrument(suggestion: String)
    /// A rubric page was asked for, but no rubric instrument is declared.
    case noRubric
    /// A staff member with no scored dialogue in the week; `known` are those with one.
    case unknownStaff(name: String, week: String, known: [String])

    public var exitCode: ExitStatus {
        switch self {
        case .noDatabase, .noRun, .badOption, .noInstrument, .noTags, .noRubric, .unknownStaff: return .usage
        case .unreadable, .noHandLabels, .notBatchOutput, .unknownRun: return .badInput
        case .cannotWrite: return .cannotWrite
        case .someFailed: return .someFailed
        case let .filesRefused(_, code): return code
        }
    }

    public var description: String {
        switch self {
        case let .noDatabase(path, demo):
            var text = "\(path): no database here yet. Run `chattag import FILE…` first"
            if let demo { text += ", or look at the demo's database with `--db \(demo)`" }
            return text + "."
        case let .unreadable(path, reason):
            return "\(path): cannot read the file (\(reason)). Check the path and its permissions."
        case let .cannotWrite(path, reason):
            return "\(path): cannot write the file (\(reason)). Check that the folder exists, that you may write to it, and that the disk has room."
        case .noHandLabels:
            return "no hand labels match imported dialogues. Load labels with `chattag labels import FILE` (and import their dialogues) first."
        case let .noRun(description):
            return "no run used \(description). Run `chattag run --prompt … --model …` first, or leave --prompt/--model out."
        case let .notBatchOutput(file, line):
            return "\(file): line \(line): not a batch output line with a chattag custom_id. Ingest the output file of a batch made by `chattag batch prepare`."
        case let .unknownRun(file, runID, database):
            return "\(file): run \(runID) is not in \(database). Ingest into the database the batch was prepared from."
        case let .someFailed(text):
            return text
        case let .filesRefused(count, _):
            return count == 1
                ? "1 file was not imported; the database is unchanged for it." : "\(count) files were not imported; the database is unchanged for them."
        case let .badOption(text):
            return text
        case let .noTags(prompt, model):
            return "no labeled dialogue has a tag of \(prompt) × \(model). Tag them first: `chattag run -p \(prompt) -m \(model) --only-labeled`."
        case .noRubric:
            return
                "no rubric instrument is declared. Tag with the rubric (`chattag run -p rubric@1 -m MODEL`) and declare it: `chattag instrument set rubric@1 MODEL`."
        case let .unknownStaff(name, week, known):
            return known.isEmpty
                ? "\(name) has no scored dialogue in \(week), and nobody has. Run the rubric over that week first (`chattag run -p rubric@1 -m MODEL`)."
                : "\(name) has no scored dialogue in \(week). Staff members with one: \(known.joined(separator: ", "))."
        case let .noInstrument(suggestion):
            return
                "no production instrument is declared, so the weekly figures would depend on the last experiment. Declare the prompt and model Monday's report reads with `chattag instrument set \(suggestion)` (the one with the most tags), or name them with --prompt and --model."
        }
    }
}
