import Foundation
import Testing

@testable import ChatTagCore

@Suite struct FieldConfidenceTests {
    static func token(_ text: String, _ p: Double, _ top: [(String, Double)] = []) -> TokenLogprob {
        TokenLogprob(text: text, logprob: log(p), top: top.map { .init(text: $0.0, logprob: log($0.1)) })
    }

    @Test func theChosenValuesProbabilityIsNormalisedOverTheAllowedValues() {
        // {"intent":"booking","missed_lead":false} in tokens as a tokenizer splits them.
        let content = #"{"intent":"booking","missed_lead":false}"#
        let tokens = [
            Self.token("{\"", 1), Self.token("intent", 1), Self.token("\":\"", 1),
            Self.token("book", 0.6, [("book", 0.6), ("question", 0.2), ("que", 0.1), ("hello", 0.1)]), Self.token("ing", 1),
            Self.token("\",\"", 1), Self.token("missed", 1), Self.token("_lead", 1), Self.token("\":", 1),
            Self.token("false", 0.7, [("false", 0.7), ("true", 0.3)]), Self.token("}", 1),
        ]
        let confidence = FieldConfidence.confidences(
            content: content, tokens: tokens, values: ["intent": "booking", "missed_lead": "false"],
            taxonomy: Taxonomy(fields: [Taxonomy.default.fields[0], Taxonomy.default.fields[2]]))
        // booking 0.6 against question 0.2 + 0.1 ("que" begins it); "hello" begins no allowed value.
        #expect(abs(confidence["intent"]! - 0.6 / 0.9) < 1e-9)
        #expect(abs(confidence["missed_lead"]! - 0.7) < 1e-9)
    }

    @Test func tokensOfACodeFenceTheServerStrippedFromTheContentAreSkipped() {
        // llama.cpp's server (build 11434) under a json_schema: the model wrote ```json … ```,
        // `content` holds the object alone, `logprobs` every token. Tokens as it sent them.
        let content = "{\n  \"intent\": \"question\",\n  \"missed_lead\": false\n}"
        let tokens = [
            Self.token("```", 0.83), Self.token("json", 1), Self.token("\n", 1), Self.token("{\n", 1), Self.token(" ", 1),
            Self.token(" \"", 1), Self.token("intent", 1), Self.token("\":", 1), Self.token(" \"", 1),
            Self.token("question", 0.965, [("question", 0.965), ("booking", 0.031), ("query", 0.001)]),
            Self.token("\",\n", 1), Self.token(" ", 1), Self.token(" \"", 1), Self.token("miss", 1), Self.token("ed", 1),
            Self.token("_lead", 1), Self.token("\":", 1),
            Self.token(" false", 0.736, [(" false", 0.736), (" true", 0.247), (" \"", 0.017)]),
            Self.token("\n", 1), Self.token("}\n", 1), Self.token("```", 1),
        ]
        let confidence = FieldConfidence.confidences(
            content: content, tokens: tokens, values: ["intent": "question", "missed_lead": "false"],
            taxonomy: Taxonomy(fields: [Taxonomy.default.fields[0], Taxonomy.default.fields[2]]))
        #expect(abs(confidence["intent"]! - 0.965 / 0.996) < 1e-9)
        #expect(abs(confidence["missed_lead"]! - 0.736 / 0.983) < 1e-9)
        #expect(FieldConfidence.offset(of: content, inTokens: tokens.map(\.text).joined()) == 8)
        #expect(FieldConfidence.offset(of: "{}", inTokens: "{}") == 0 && FieldConfidence.offset(of: "{\"a\":1}", inTokens: "[]") == 0)
    }

    @Test func aDerivedFieldIsAsSureAsTheLeastSureFieldItReads() throws {
        let template = try PromptLibrary(directories: []).template("tagging@3")
        let content = #"{"buying_interest":true,"next_step_offered":false,"intent":"question","sentiment":"neutral"}"#
        var tokens: [TokenLogprob] = []
        for piece in [#"{"buying_interest":"#, "true", #","next_step_offered":"#, "false", #","intent":""#, "question", #"","sentiment":""#, "neutral", #""}"#] {
            switch piece {
            case "true": tokens.append(Self.token("true", 0.9, [("true", 0.9), ("false", 0.1)]))
            case "false": tokens.append(Self.token("false", 0.6, [("false", 0.6), ("true", 0.4)]))
            default: tokens.append(Self.token(piece, 1))
            }
        }
        let values = try TagParser(taxonomy: template.taxonomy).parse(content).get()
        let confidence = FieldConfidence.confidences(content: content, tokens: tokens, values: values, taxonomy: template.taxonomy)
        #expect(abs(confidence["buying_interest"]! - 0.9) < 1e-9 && abs(confidence["next_step_offered"]! - 0.6) < 1e-9)
        #expect(abs(confidence["missed_lead"]! - 0.6) < 1e-9)
        #expect(FieldConfidence.confidences(content: content, tokens: [], values: values, taxonomy: template.taxonomy).isEmpty)
    }

    @Test func calibrationBucketsECEAndCoverage() throws {
        // 10 tags at 0.95 (9 right), 10 from 0.550 to 0.559 (the 5 surest right).
        let scored = (0..<10).map { (0.95, $0 < 9) } + (0..<10).map { (0.55 + Double($0) * 0.001, $0 >= 5) }
        let calibration = try #require(Calibration(scored.map { (confidence: $0.0, correct: $0.1) }))
        #expect(calibration.buckets.map(\.n) == [10, 10])
        // ECE = ½·|0.9 − 0.95| + ½·|0.5 − 0.5545| = 0.05225
        #expect(abs(calibration.expectedCalibrationError - 0.05225) < 1e-9)
        // The surest 80% (16 tags): 10 at 0.95 (9 right) and the 6 surest of the rest (5 right) → 14/16.
        #expect(calibration.coverage.map(\.n) == [16, 18, 20])
        #expect(calibration.coverage[0].accuracy == 14.0 / 16 && calibration.coverage[2].accuracy == 14.0 / 20)
        #expect(Calibration([]) == nil)
    }
}
