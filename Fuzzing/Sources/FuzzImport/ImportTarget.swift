import ChatTagCore
import Foundation

/// One importer under the fuzzer: each input is written to the same file (one per process) and
/// imported with the format forced, as `chattag import --format` does. Errors are the expected
/// answer to bad bytes; only a trap, a hang or unbounded memory is a finding.
public final class ImportTarget: Sendable {
    let importer: DialogueImporter
    let path: String

    /// `fileName` matters to WhatsApp (the chat's key comes from it); the staff names are the
    /// fixtures', so mutated seeds still reach the dialogue splitting and anonymizing.
    public init(format: ExportFormat, fileName: String) {
        do {
            let zone = try ZoneResolver(identifier: "Europe/Moscow")
            let staff = ["Салон Лилия", "Анна Смирнова", "Анна", "Ольга", "Anna (Salon)", "Lily Salon"]
            let bots = ["LiliyaBot"]
            let options = ImportOptions(format: format, staff: staff, bots: bots, zone: zone)
            let pseudonyms = Pseudonymizer(secret: Array("fuzz-secret-key-for-chattag".utf8))
            let anonymizer = Anonymizer(names: try .bundled(), pseudonyms: pseudonyms, staff: staff, bots: bots)
            importer = DialogueImporter(options: options, anonymizer: anonymizer)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-fuzz-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent(fileName).path
        } catch {
            fatalError("fuzz setup: \(error)")
        }
    }

    /// Imports `size` bytes at `data`; always returns 0, as libFuzzer expects.
    public func run(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let bytes = Data(bytes: data, count: size)
        guard FileManager.default.createFile(atPath: path, contents: bytes) else { fatalError("fuzz: cannot write \(path)") }
        var messages = 0
        do {
            try importer.importFile(path) { dialogue in messages += dialogue.messages.count }
        } catch {
            // Bad input is refused with an error: that is the behaviour wanted.
            _ = String(describing: error)
        }
        return 0
    }
}
