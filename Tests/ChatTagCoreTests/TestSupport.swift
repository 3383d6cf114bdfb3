import Foundation

@testable import ChatTagCore

let coreTestsScratchPath = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-core-tests-\(getpid())").path

/// Paths and shared objects for the core tests.
enum TestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let exports = fixtures.appendingPathComponent("exports")

    static let names: NameDictionary = {
        do { return try NameDictionary.bundled() } catch { fatalError("name dictionary: \(error)") }
    }()

    static let pseudonyms = Pseudonymizer(secret: Array("test-secret-key-for-chattag".utf8))

    static func zone(_ name: String = "Europe/Moscow") -> ZoneResolver {
        do { return try ZoneResolver(identifier: name) } catch { fatalError("zone: \(error)") }
    }

    static func anonymizer(staff: [String] = [], bots: [String] = []) -> Anonymizer {
        Anonymizer(names: names, pseudonyms: pseudonyms, staff: staff, bots: bots)
    }

    /// Imports a file with the importer alone (no database) and returns its dialogues.
    static func importDialogues(_ path: String, staff: [String] = [], bots: [String] = [], format: ExportFormat = .auto, gap: Double = 43_200) throws -> [Dialogue] {
        let options = ImportOptions(format: format, staff: staff, bots: bots, sessionGapSeconds: gap, zone: zone())
        let importer = DialogueImporter(options: options, anonymizer: anonymizer(staff: staff, bots: bots))
        var dialogues: [Dialogue] = []
        try importer.importFile(path) { dialogues.append($0) }
        return dialogues
    }

    /// A folder for this test process's files, removed when the process exits.
    static let scratch: URL = {
        let folder = URL(fileURLWithPath: coreTestsScratchPath)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: coreTestsScratchPath) }
        return folder
    }()

    static func temporaryFile(_ name: String, _ contents: [UInt8]) throws -> String {
        let directory = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        try temporaryFile(name, Array(text.utf8))
    }
}

/// Machine output as the dictionary a script would read from it.
func jsonDictionary<T: Encodable>(_ value: T) -> [String: Any] {
    guard let text = try? JSONOutput.text(value), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        return [:]
    }
    return object
}
