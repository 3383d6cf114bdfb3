import Foundation
import Testing

/// What only the binary can show: where options may stand, what a read-only command leaves
/// behind, where output goes, the project file's place among flags and environment.
@Suite struct CLIConventionsTests {
    @Test func globalOptionsWorkBeforeOrAfterAnySubcommandAtAnyDepth() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--db", "d.db", "-q"]).status == 0)
        let before = try cli.run(["--db", "d.db", "--json", "prompts", "list"])
        #expect(before.status == 0 && before.stdout.hasPrefix("[{"))
        // The demo labels all 100 dialogues' tags and the 96 answered ones' rubric: 4 are left to label for the rubric.
        let between = try cli.run(["labels", "--db", "d.db", "--tz", "UTC", "sample", "--n", "3", "-p", "rubric@1", "-o", "s.csv"])
        #expect(between.status == 0, "\(between.stderr)")
        let sheet = try String(contentsOfFile: cli.path("s.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        #expect(sheet.count == 5 && sheet[0].contains("needs_clarified (full|partial|none)"))
        let short = try cli.run(["labels", "sample", "--db", "d.db", "--n", "10", "-p", "rubric@1", "-o", "s2.csv"])
        #expect(short.status == 0 && short.stderr.contains("only 4 dialogues are left to label (asked for 10; 96 are labeled already"), "\(short.stderr)")
        #expect(try cli.run(["labels", "sample", "--db", "d.db", "--n", "0", "-o", "s3.csv"]).status == 2)
        let after = try cli.run(["validate", "-p", "tagging@1", "-m", "baseline", "--json", "--db", "d.db"])
        #expect(after.status == 0 && after.stdout.hasPrefix("{") && after.stdout.contains("\"fields\""))
    }

    @Test func aMistypedCommandGetsADidYouMeanAndExit2() throws {
        let cli = try CLIRunner()
        let top = try cli.run(["improt", "chat.txt"])
        #expect(top.status == 2 && top.stderr.contains("Did you mean 'import'?"))
        let nested = try cli.run(["labels", "smaple"])
        #expect(nested.status == 2 && nested.stderr.contains("Did you mean 'sample'?"))
    }

    @Test func readOnlyCommandsCreateNoDatabaseAndNoKeyFile() throws {
        let cli = try CLIRunner()
        for arguments in [["report", "--week", "2026-W47"], ["validate", "-p", "tagging@1", "-m", "baseline"], ["export", "-p", "tagging@1", "-m", "baseline"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 2 && result.stderr.contains("chattag import"), "\(arguments): \(result.stderr)")
        }
        let masked = try cli.run(["anonymize"], stdin: "Звоните +7 916 123-45-67")
        #expect(masked.status == 0 && masked.stdout.contains("[PHONE_1]"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory) == [])
    }

    @Test func outputGoesToStdoutWithDashAndTakesItsFormatFromTheExtension() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--db", "d.db", "-q"]).status == 0)
        let dash = try cli.run(["report", "--db", "d.db", "--week", "2025-W11", "-o", "-"])
        #expect(dash.status == 0 && dash.stdout.contains("2025-W11"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("-")))
        #expect(try cli.run(["report", "--db", "d.db", "--week", "2025-W11", "-o", "week.html"]).status == 0)
        #expect(try String(contentsOfFile: cli.path("week.html"), encoding: .utf8).hasPrefix("<!doctype html>"))
        #expect(try cli.run(["validate", "--db", "d.db", "-p", "tagging@1", "-m", "baseline", "-o", "v.json"]).status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.path("v.json")))) as? [String: Any]
        #expect(json?["n"] as? Int == 100)
        let unwritable = try cli.run(["report", "--db", "d.db", "--week", "2025-W11", "-o", "no/such/folder/week.md"])
        #expect(unwritable.status == 73 && unwritable.stderr.contains("no/such/folder/week.md: cannot write the file"))
    }

    @Test func theProjectFileSetsDefaultsThatEnvironmentAndFlagsOverride() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["init"]).status == 0)
        let again = try cli.run(["init"])
        #expect(again.status == 2 && again.stderr.contains("already exists"))
        #expect(try cli.run(["demo", "--db", "from-file.db", "-q"]).status == 0)
        try "db = \"from-file.db\"\nprompt = \"tagging@1\"\nmodel = \"baseline\"\n".write(toFile: cli.path("chattag.toml"), atomically: true, encoding: .utf8)
        // The file names the database, the prompt and the model.
        let fromFile = try cli.run(["validate", "--json"])
        #expect(fromFile.status == 0 && fromFile.stdout.contains("\"n\":100"), "\(fromFile.stderr)")
        // The environment beats the file, and a flag beats the environment.
        let fromEnvironment = try cli.run(["validate"], environment: ["CHATTAG_DB": "elsewhere.db"])
        #expect(fromEnvironment.status == 2 && fromEnvironment.stderr.contains("elsewhere.db"))
        let fromFlag = try cli.run(["validate", "--db", "from-file.db"], environment: ["CHATTAG_DB": "elsewhere.db"])
        #expect(fromFlag.status == 0)
        try "db = \"x.db\"\nmodle = \"m\"\n".write(toFile: cli.path("chattag.toml"), atomically: true, encoding: .utf8)
        let broken = try cli.run(["validate", "-p", "tagging@1"])
        #expect(broken.status == 65 && broken.stderr.contains("chattag.toml: line 2: unknown key modle"))
        // Commands that take no prompt read the file too: a typo never falls back to the defaults.
        let brokenReport = try cli.run(["report", "--week", "2025-W11"])
        #expect(brokenReport.status == 65 && brokenReport.stderr.contains("unknown key modle"))
    }

    @Test func helpPagesCarryExamples() throws {
        let cli = try CLIRunner()
        for command in ["import", "run", "validate", "compare", "report", "export", "labels", "prune", "batch", "prompts", "demo", "init"] {
            let help = try cli.run([command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("Examples:"), "\(command)")
        }
    }

    @Test func theBaselinePrintsNoTokenOrCostEstimate() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--db", "d.db", "-q"]).status == 0)
        let run = try cli.run(["run", "--db", "d.db", "-p", "tagging@2", "-m", "baseline"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("tokens") && !run.stdout.contains("tokens") && !run.stderr.contains("$"))
    }
}
