import Foundation
import Testing

@testable import ChatTagCore

/// The inputs the fuzzers of `Fuzzing/` found (`Tests/Fixtures/fuzz/<target>/`), each run
/// through the code path of its target: an importer may refuse them with an error, the tag
/// parser may reject them, but neither may trap.
@Suite struct FuzzRegressionTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("fuzz")

    /// The files found by one target, with their bytes.
    static func findings(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let directory = folder.appendingPathComponent(target)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { name in
            (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    /// The options and file name `Fuzzing/Sources/FuzzImport/ImportTarget.swift` imports with.
    static let staff = ["Салон Лилия", "Анна Смирнова", "Анна", "Ольга", "Anna (Salon)", "Lily Salon"]

    static func importFinding(_ bytes: [UInt8], format: ExportFormat, fileName: String) throws {
        let path = try TestSupport.temporaryFile(fileName, bytes)
        _ = try TestSupport.importDialogues(path, staff: staff, bots: ["LiliyaBot"], format: format)
    }

    @Test(arguments: [
        ("fuzz-jsonl", ExportFormat.jsonl, "dialogues.jsonl"),
        ("fuzz-csv", .csv, "dialogues.csv"),
        ("fuzz-telegram", .telegram, "result.json"),
        ("fuzz-whatsapp", .whatsapp, "WhatsApp Chat with Fuzz.txt"),
        ("fuzz-zip", .auto, "WhatsApp Chat with Fuzz.zip"),
    ])
    func importerRefusesFoundInputsWithoutTrapping(target: String, format: ExportFormat, fileName: String) throws {
        for finding in try Self.findings(target) {
            do {
                try Self.importFinding(finding.bytes, format: format, fileName: fileName)
            } catch is ImportError {
                // Refusing the file is the answer wanted.
            }
        }
    }

    @Test func tagParserRejectsFoundRepliesWithoutTrapping() throws {
        let parsers = [TagParser(taxonomy: .default), TagParser(taxonomy: .rubric)]
        for finding in try Self.findings("fuzz-tagparser") {
            let reply = String(decoding: finding.bytes, as: UTF8.self)
            for parser in parsers { _ = parser.parse(reply) }
        }
    }
}
