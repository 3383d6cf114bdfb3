import Foundation
import Testing

@testable import ChatTagCore

@Suite struct ShippedNamesTests {
    @Test func compiledNameDictionaryMatchesTheResourceFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ChatTagCore/Anonymize/Resources")
        for (file, text) in [("first-names.txt", ShippedNames.firstNames), ("name-lookalikes.txt", ShippedNames.lookalikes), ("surnames.txt", ShippedNames.surnames)] {
            #expect(try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) == text, "run scripts/embed-resources.py")
        }
        #expect(try NameDictionary.bundled().firstName("марии")?.canonical == "мария")
    }
}
