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
        #expect(messages.user.hasSuffix("Диалог:\n[+0:00] client: Привет"))
    }

    @Test func hashIsSHA256OfTheFileWithLFLineEndings() throws {
        let lf = try PromptTemplate.parse(Self.sample, origin: "a")
        let crlf = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "\n", with: "\r\n"), origin: "b")
        let oldMac = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "\n", with: "\r"), origin: "b")
        #expect(lf.hash == crlf.hash)
        #expect(lf.hash == oldMac.hash)
        #expect(lf.hash == Digest.sha256Hex(Self.sample))
        #expect(PromptTemplate.lfNormalized("a\r\r\nб\rв\n\r\n") == "a\n\nб\nв\n\n")
        let edited = try PromptTemplate.parse(Self.sample.replacingOccurrences(of: "размечаешь", with: "тегируешь"), origin: "c")
        #expect(edited.hash != lf.hash)
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

@Suite struct DialogueRendererTests {
    func dialogue(_ count: Int, text: String = "Сообщение") -> Dialogue {
        let start: Int64 = 1_736_074_800_000
        var messages: [Message] = []
        for index in 0..<count {
            let at = ChatTime(unixMillis: start + Int64(index) * 7 * 60_000, offsetSeconds: 10_800)
            let isClient = index % 2 == 0
            messages.append(Message(at: at, role: isClient ? .client : .staff, author: isClient ? "c-1a2b3c4d" : "Анна", text: "\(text) \(index)"))
        }
        return Dialogue(id: "d", source: "s", channel: "whatsapp", messages: messages)
    }

    @Test func rendersRelativeTimesRolesAndStaffNames() {
        var sample = dialogue(3)
        sample.messages[2].at.unixMillis += 26 * 3600 * 1000
        let (text, truncated) = DialogueRenderer().render(sample)
        #expect(!truncated)
        #expect(text == "[+0:00] client: Сообщение 0\n[+0:07] staff (Анна): Сообщение 1\n[+1d 2:14] client: Сообщение 2")
    }

    @Test func longDialoguesKeepTheOpeningAndTheLatestTurns() {
        let long = dialogue(400, text: String(repeating: "длинный текст ", count: 5))
        let (text, truncated) = DialogueRenderer(tokenBudget: 600).render(long)
        let lines = text.split(separator: "\n")
        #expect(truncated)
        #expect(lines.first?.hasPrefix("[+0:00] client: длинный") == true)
        #expect(lines.last?.hasSuffix(" 399") == true)
        #expect(lines.contains { $0.hasPrefix("[…") && $0.hasSuffix("messages omitted…]") })
        #expect(DialogueRenderer.estimateTokens(text) <= 620)
    }
}

@Suite struct TagParserTests {
    let parser = TagParser(taxonomy: .default)

    @Test func readsPlainFencedAndProseReplies() throws {
        let expected: TagValues = ["intent": "booking", "sentiment": "neutral", "missed_lead": "true"]
        for reply in [
            #"{"intent":"booking","sentiment":"neutral","missed_lead":true}"#,
            "```json\n{\"intent\": \"booking\", \"sentiment\": \"neutral\", \"missed_lead\": true}\n```",
            #"Конечно! Вот разметка: {"intent":"booking","sentiment":"neutral","missed_lead":true} Надеюсь, помог."#,
        ] {
            #expect(try parser.parse(reply).get() == expected)
        }
    }

    @Test func normalizesCaseSynonymsAndRussianBooleans() throws {
        let reply = #"{"intent":"Запись","sentiment":"НЕГАТИВНЫЙ","missed_lead":"да","reason":"ignored"}"#
        #expect(try parser.parse(reply).get() == ["intent": "booking", "sentiment": "negative", "missed_lead": "true"])
        #expect(try parser.parse(#"{"intent":" Booking\n","sentiment":"Neutral","missed_lead":" НЕТ "}"#).get()["missed_lead"] == "false")
        // A template's own values, capitals and ё included, match however the model spells them.
        let warm = TagParser(taxonomy: Taxonomy(fields: [TaxonomyField(name: "тон", values: ["Тёплый", "холодный"])]))
        for spelled in ["Тёплый", "тёплый", " ТЕПЛЫЙ ", "теплый"] {
            #expect(try warm.parse(#"{"тон":"\#(spelled)"}"#).get() == ["тон": "Тёплый"], "\(spelled)")
        }
    }

    @Test func rejectsValuesOutsideTheTaxonomyAndMissingFields() {
        guard case let .failure(outside) = parser.parse(#"{"intent":"purchase","sentiment":"neutral","missed_lead":false}"#) else {
            Issue.record("accepted purchase")
            return
        }
        #expect(outside.reason.contains("purchase"))
        guard case let .failure(missing) = parser.parse(#"{"intent":"other","sentiment":"neutral"}"#) else {
            Issue.record("accepted a missing field")
            return
        }
        #expect(missing.reason.contains("missed_lead"))
        guard case .failure = parser.parse("Извините, не могу помочь.") else {
            Issue.record("accepted prose")
            return
        }
    }
}

@Suite struct RetryPolicyTests {
    @Test func readsRateLimitResetDurations() {
        #expect(RetryPolicy.parseDuration("6m0s") == 360)
        #expect(RetryPolicy.parseDuration("1.5s") == 1.5)
        #expect(RetryPolicy.parseDuration("20ms") == 0.02)
        #expect(RetryPolicy.parseDuration("1h2m3s") == 3723)
        #expect(RetryPolicy.parseDuration("soon") == nil)
    }

    @Test func backoffHasFullJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: 0.5, maxDelay: 8)
        #expect(policy.delay(attempt: 1, retryAfter: nil, random: 1) == 0.5)
        #expect(policy.delay(attempt: 3, retryAfter: nil, random: 1) == 2)
        #expect(policy.delay(attempt: 3, retryAfter: nil, random: 0) == 0)
        #expect(policy.delay(attempt: 10, retryAfter: nil, random: 1) == 8)
        #expect(policy.delay(attempt: 1, retryAfter: 3, random: 0) == 3)
        #expect(RetryPolicy.isRetryable(.httpError(status: 429, body: "", retryAfter: nil, hints: RateLimitHints())))
        #expect(RetryPolicy.isRetryable(.httpError(status: 503, body: "", retryAfter: nil, hints: RateLimitHints())))
        #expect(!RetryPolicy.isRetryable(.httpError(status: 400, body: "", retryAfter: nil, hints: RateLimitHints())))
        #expect(RetryPolicy.isRetryable(.timeout))
    }
}

@Suite struct DemoSampleTests {
    @Test func bundledSampleMatchesLabeledSamplesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("labeled-samples")
        let dialogues = try String(contentsOf: folder.appendingPathComponent("dialogues.jsonl"), encoding: .utf8)
        let labels = try String(contentsOf: folder.appendingPathComponent("labels.jsonl"), encoding: .utf8)
        #expect(DemoSample.dialoguesJSONL == dialogues, "run scripts/embed-resources.py")
        #expect(DemoSample.labelsJSONL == labels, "run scripts/embed-resources.py")
        let parsed = try HandLabel.parseJSONL(labels, file: "labels.jsonl")
        #expect(parsed.count == 100)
        #expect(parsed.filter { $0.values["missed_lead"] == "true" }.count >= 25)
    }
}

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
