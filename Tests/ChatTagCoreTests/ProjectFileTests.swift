import Testing

@testable import ChatTagCore

@Suite struct ProjectFileTests {
    @Test func readsEveryKnownKeyWithCommentsAndPriceTables() throws {
        let text = """
            # settings
            db = "salon.db"   # beside the exports
            tz = "Asia/Yekaterinburg"
            staff = ["Анна", "Ольга Петрова"]
            bots = []
            prompt = "tagging@2"
            model = "gpt-4.1-mini"
            base_url = "http://127.0.0.1:8080/v1"
            session_gap = "8h"

            [prices."qwen2.5#local"]
            input = 0
            output = 0.5
            """
        let project = try ProjectFile.parse(text, file: "chattag.toml")
        #expect(project.db == "salon.db" && project.tz == "Asia/Yekaterinburg")
        #expect(project.staff == ["Анна", "Ольга Петрова"] && project.bots == [])
        #expect(project.prompt == "tagging@2" && project.model == "gpt-4.1-mini")
        #expect(project.baseURL == "http://127.0.0.1:8080/v1" && project.sessionGap == "8h")
        #expect(project.prices["qwen2.5#local"]?.input == 0 && project.prices["qwen2.5#local"]?.output == 0.5)
    }

    @Test func refusesUnknownKeysAndBadValuesNamingTheLine() {
        #expect(throws: ImportError.self) { try ProjectFile.parse("db = \"x.db\"\nmodle = \"m\"", file: "c.toml") }
        do {
            _ = try ProjectFile.parse("db = \"x.db\"\nmodle = \"m\"", file: "c.toml")
        } catch {
            #expect("\(error)".hasPrefix("c.toml: line 2: unknown key modle"))
        }
        #expect(throws: ImportError.self) { try ProjectFile.parse("staff = \"Анна\"", file: "c.toml") }
        #expect(throws: ImportError.self) { try ProjectFile.parse("db = salon.db", file: "c.toml") }
        #expect(throws: ImportError.self) { try ProjectFile.parse("[prices.\"m\"]\ninput = 1", file: "c.toml") }
        #expect(throws: ImportError.self) { try ProjectFile.parse("[server]", file: "c.toml") }
    }

    @Test func theTemplateInitWritesParses() throws {
        let project = try ProjectFile.parse(ProjectFile.template, file: "chattag.toml")
        #expect(project.db == "chattag.db" && project.prompt == "tagging@1" && project.model == "baseline" && project.staff == [])
    }
}
