import Testing

@testable import ChatTagCore

@Suite struct DerivedFieldTests {
    static let fields = [
        TaxonomyField(name: "buying_interest", values: ["true", "false"]), TaxonomyField(name: "next_step_offered", values: ["true", "false"]),
        TaxonomyField(name: "intent", values: ["booking", "question", "complaint", "other"]),
    ]

    @Test func aMissedLeadIsInterestWithoutANextStep() throws {
        let missed = try DerivedField(name: "missed_lead", formula: "buying_interest and not next_step_offered", fields: Self.fields)
        #expect(missed.value(["buying_interest": "true", "next_step_offered": "false"]) == "true")
        #expect(missed.value(["buying_interest": "true", "next_step_offered": "true"]) == "false")
        #expect(missed.value(["buying_interest": "false", "next_step_offered": "false"]) == "false")
        #expect(missed.value(["buying_interest": "true"]) == nil)
        let grouped = try DerivedField(name: "x", formula: "not (intent = complaint or intent = other) and buying_interest", fields: Self.fields)
        #expect(grouped.value(["intent": "complaint", "buying_interest": "true"]) == "false")
        #expect(grouped.value(["intent": "booking", "buying_interest": "true"]) == "true")
    }

    @Test func aFormulaReadsOnlyTheTemplatesFieldsAndSaysWhatIsWrong() {
        #expect(throws: DerivedField.FormulaError(description: "\"interest\" is not a field of the template (buying_interest, next_step_offered, intent)")) {
            try DerivedField(name: "m", formula: "interest and not next_step_offered", fields: Self.fields)
        }
        #expect(throws: DerivedField.FormulaError(description: "\"intent\" is not true/false: write intent = VALUE")) {
            try DerivedField(name: "m", formula: "intent", fields: Self.fields)
        }
        #expect(throws: DerivedField.FormulaError(description: "\"sale\" is not a value of intent (booking, question, complaint, other)")) {
            try DerivedField(name: "m", formula: "intent = sale", fields: Self.fields)
        }
        #expect(throws: DerivedField.FormulaError(description: "a \"(\" is not closed")) { try DerivedField(name: "m", formula: "(buying_interest", fields: Self.fields) }
    }

    @Test func tagging3AsksEvidenceFirstAndDerivesTheMissedLead() throws {
        let template = try PromptLibrary(directories: []).template("tagging@3")
        #expect(template.taxonomy.fields.map(\.name) == ["buying_interest", "next_step_offered", "intent", "sentiment"])
        #expect(template.taxonomy.derived.map(\.name) == ["missed_lead"])
        #expect(!template.taxonomyText.contains("missed_lead"), "a derived field is never asked")
        let parsed = TagParser(taxonomy: template.taxonomy).parse(#"{"buying_interest":true,"next_step_offered":false,"intent":"question","sentiment":"neutral"}"#)
        #expect(try parsed.get() == ["buying_interest": "true", "next_step_offered": "false", "intent": "question", "sentiment": "neutral", "missed_lead": "true"])
        // Measured: the asked fields and the derived one; evidence nobody labels is left out of validation.
        #expect(template.taxonomy.measured.map(\.name) == ["buying_interest", "next_step_offered", "intent", "sentiment", "missed_lead"])
    }

    @Test func aTemplateWithABadFormulaNamesItsLine() {
        let text = """
            ---
            name: t
            version: 1
            fields:
              a: [true, false]
            derived:
              b: a and c
            ---
            ## user
            {{dialogue}}
            """
        #expect(throws: PromptError.malformed(file: "t.md", line: 7, problem: "derived field b: \"c\" is not a field of the template (a)")) {
            try PromptTemplate.parse(text, origin: "t.md")
        }
    }
}
