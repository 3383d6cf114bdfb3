import Foundation
import Testing

@testable import ChatTagCore

@Suite struct PromptTemplateTests {
    static let sample = """
        ---
        name: tagging
        version: 7
        description: test template
        temperature: 0
        max_tokens: 120
        seed: 42
        fields:
          intent: [booking, question, complaint, other]
          missed_lead: [true, false]
        ---
        ## system
        Ты размечаешь диалоги.

        ## user
        Поля:
        {{taxonomy}}

        Диалог:
        {{dialogue}}
        """

    @Test func parsesFrontMatterFieldsAndMessages() throws {
        let template = try PromptTemplate.parse(Self.sample, origin: "test.md")
        #expect(template.id == "tagging@7")
        #expect(template.temperature == 0)
        #expect(template.maxTokens == 120)
        #expect(template.seed == 42)
        #expect(template.taxonomy.fields.map(\.name) == ["intent", "missed_lead"])
        #expect(template.taxonomy.field("missed_lead")?.isBoolean == true)
        #expect(template.system == "Ты размечаешь диалоги.")
        let messages = template.messages(dialogue: "[+0:00] client: Привет")
        #expect(messages.user.contains("- intent: одно из booking, question, complaint, other"))
        #expect(messages.user.contains("- missed_lead: true или false"))
        #expect(messages.user.hasSuffix("Диалог:\n<dialogue>\n[+0:00] client: Привет\n</dialogue>"))
        #expect(messages.system == "Ты размечаешь диалоги.\n\n" + DialogueFraming.notice)
    }

    @Test func aPlaceholderInsideALineStillGetsBoundaryLinesOfTheirOwn() throws {
        let inline = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "Диалог:\n{{dialogue}}", with: "Диалог: {{dialogue}} — конец"), origin: "t")
        #expect(inline.messages(dialogue: "D").user.hasSuffix("Диалог: \n<dialogue>\nD\n</dialogue>\n — конец"))
    }

    @Test func hashIsSHA256OfTheFileWithLFLineEndingsAndTheRendering() throws {
        let lf = try PromptTemplate.parse(Self.sample, origin: "a")
        let crlf = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "\n", with: "\r\n"), origin: "b")
        let oldMac = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "\n", with: "\r"), origin: "b")
        #expect(lf.hash == crlf.hash)
        #expect(lf.hash == oldMac.hash)
        #expect(lf.hash == Digest.sha256Hex(Self.sample + DialogueFraming.identity))
        // The rendering is part of what is sent, so it is part of the identity.
        #expect(lf.hash != Digest.sha256Hex(Self.sample))
        #expect(PromptTemplate.lfNormalized("a\r\r\nб\rв\n\r\n") == "a\n\nб\nв\n\n")
        let edited = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "размечаешь", with: "тегируешь"), origin: "c")
        #expect(edited.hash != lf.hash)
    }

    @Test func aBatchPreparedUnderAnotherHashIsToBePreparedAgain() {
        let error = PromptError.preparedDifferently(id: "tagging@1", file: "out.jsonl", preparedHash: "aaaa1111bbbb2222", currentHash: "cccc3333dddd4444")
        #expect(error.exitCode == .badInput)
        #expect(error.description.hasPrefix("out.jsonl: its requests were prepared with tagging@1 at hash aaaa1111bbbb…"))
        #expect(error.description.hasSuffix("prepare the batch again (`chattag batch prepare`) and submit that file."))
    }

    @Test func brokenTemplatesNameTheLineAndTheProblem() {
        let cases: [(String, Int, String)] = [
            ("name: x\n", 1, "front matter"),
            (Self.sample.replacingOccurrences(of: "temperature: 0", with: "temperature: hot"), 2, "temperature"),
            (Self.sample.replacingOccurrences(of: "{{dialogue}}", with: ""), 15, "{{dialogue}}"),
            (Self.sample.replacingOccurrences(of: "{{taxonomy}}", with: "{{client}}"), 15, "unknown placeholder"),
            (Self.sample.replacingOccurrences(of: "## user", with: "## answer"), 15, "unknown section"),
            (Self.sample.replacingOccurrences(of: "  missed_lead: [true, false]", with: "  missed_lead: true"), 10, "a field must read"),
        ]
        for (text, line, problem) in cases {
            #expect {
                _ = try PromptTemplate.parse(text, origin: "bad.md")
            } throws: { error in
                guard case let PromptError.malformed(file, errorLine, message) = error else { return false }
                return file == "bad.md" && errorLine == line && message.contains(problem)
            }
        }
    }

    @Test func shippedTemplatesMatchThePromptsFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("prompts")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".md") }.sorted()
        #expect(ShippedPrompts.files.map(\.path) == files.map { "prompts/" + $0 }, "run scripts/embed-resources.py")
        for (path, text) in ShippedPrompts.files {
            let onDisk = try String(contentsOf: folder.deletingLastPathComponent().appendingPathComponent(path), encoding: .utf8)
            #expect(onDisk.replacingOccurrences(of: "\r\n", with: "\n") == text, "\(path) differs from the embedded copy: run scripts/embed-resources.py")
        }
        #expect(files.count >= 2)
    }

    @Test func localFolderOverridesAShippedTemplateAndAddsNewOnes() throws {
        let directory = TestSupport.scratch.appendingPathComponent("prompts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tagging"), withIntermediateDirectories: true)
        try Self.sample.write(to: directory.appendingPathComponent("tagging/v7.md"), atomically: true, encoding: .utf8)
        let library = try PromptLibrary(directories: [directory.path])
        let template = try library.template("tagging@7")
        #expect(template.origin.hasSuffix("tagging/v7.md"))
        #expect(try library.template("tagging").version == "7")
        #expect(throws: PromptError.self) { try library.template("tagging@99") }
    }
}
