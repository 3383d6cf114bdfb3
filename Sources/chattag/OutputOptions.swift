import ArgumentParser
import ChatTagCore
import Foundation

extension PageFormat: ExpressibleByArgument {}
extension TagExport.Format: ExpressibleByArgument {}
extension ChatImport.Format: ExpressibleByArgument {}
extension OutputLanguage: ExpressibleByArgument {}
extension Labeling.Strategy: ExpressibleByArgument {}

/// Where a command's result goes: stdout, or `--out FILE` (`-o`; `-` is stdout), written
/// whole or not at all.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Write to this file instead of stdout (- is stdout); its extension picks the format when --format is absent.")
    var out: String?

    /// The file to write, nil for stdout.
    var file: String? { out == "-" ? nil : out }

    /// The format: `--format` when given, else the file's extension, else `fallback`.
    func format(_ flag: PageFormat?, fallback: PageFormat = .table, json: Bool) -> PageFormat {
        if json { return .json }
        if let flag { return flag }
        return file.flatMap(PageFormat.init(fileExtensionOf:)) ?? fallback
    }

    /// Writes `body` to the file atomically, or prints it.
    func write(_ body: String, global: GlobalOptions, note: String? = nil) throws {
        guard let file else {
            try Self.print(body)
            return
        }
        do {
            try Data(body.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw UseCaseError.cannotWrite(path: file, reason: Self.reason(error))
        }
        if let note { global.note(note) }
    }

    /// Prints to stdout; a closed pipe or a full disk is an error, not a silent loss.
    static func print(_ body: String, exact: Bool = false) throws {
        let text = exact || body.hasSuffix("\n") || body.isEmpty ? body : body + "\n"
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            throw UseCaseError.cannotWrite(path: "stdout", reason: reason(error))
        }
    }

    static func reason(_ error: Error) -> String {
        if let posix = (error as? CocoaError)?.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return (error as NSError).localizedDescription
    }
}
