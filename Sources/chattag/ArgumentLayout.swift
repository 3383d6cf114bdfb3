import ArgumentParser

/// Puts a command line in the shape ArgumentParser reads: global options (``GlobalOptions``)
/// may stand anywhere — `chattag --db x.db labels sample -o s.csv`, `chattag labels --json
/// sample` — and are moved after the full subcommand path, where every command declares
/// them. A mistyped subcommand gets a "did you mean".
enum ArgumentLayout {
    /// A subcommand name at some depth that matches nothing, with the closest one.
    struct UnknownCommand: Error {
        var typed: String
        var suggestion: String?
        var path: [String]
    }

    static func normalize(_ arguments: [String], root: ParsableCommand.Type) throws -> [String] {
        var globals: [String] = []
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if GlobalOptions.flags.contains(argument) {
                globals.append(argument)
            } else if GlobalOptions.valued.contains(name) {
                globals.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    globals.append(arguments[index + 1])
                    index += 1
                }
            } else {
                rest.append(argument)
            }
            index += 1
        }
        // The subcommand path: leading words that name subcommands, depth by depth.
        var node = CommandNode(root)
        var depth = 0
        var path: [String] = []
        while depth < rest.count {
            let word = rest[depth]
            if node.children.isEmpty || word.hasPrefix("-") { break }
            if let child = node.children.first(where: { $0.name == word }) {
                node = child
                path.append(word)
                depth += 1
                continue
            }
            if word == "help" || node.hasDefault { break }
            // A word where a subcommand is expected, under a command that runs nothing itself.
            throw UnknownCommand(typed: word, suggestion: closest(word, in: node.children.map(\.name)), path: path)
        }
        guard !globals.isEmpty else { return rest }
        return Array(rest[..<depth]) + globals + Array(rest[depth...])
    }

    /// A command's name and subcommands, read once from its configuration.
    struct CommandNode {
        var name: String
        var children: [CommandNode]
        var hasDefault: Bool

        init(_ type: ParsableCommand.Type) {
            let configuration = type.configuration
            name = configuration.commandName ?? String(describing: type).lowercased()
            hasDefault = configuration.defaultSubcommand != nil
            children = configuration.subcommands.map(CommandNode.init)
        }
    }

    /// The name within edit distance 2 of `word`, if one.
    static func closest(_ word: String, in names: [String]) -> String? {
        let scored = names.map { ($0, distance(Array(word.lowercased()), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
