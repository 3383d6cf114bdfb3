import Foundation

/// Parses a query string as PHP does (`select[0]=ID&order[ID]=ASC&filter[>ID]=5`) into
/// nested dictionaries, the form `batch` commands arrive in. Lists come as dictionaries
/// with numeric keys, turned into arrays when every key is a number.
enum PHPQuery {
    static func parse(_ query: String) -> [String: Any] {
        var root: [String: Any] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            guard let name = parts.first, !name.isEmpty else { continue }
            let value = parts.count > 1 ? parts[1] : ""
            var keys: [String] = []
            if let bracket = name.firstIndex(of: "[") {
                keys.append(String(name[..<bracket]))
                var rest = name[bracket...]
                while rest.first == "[", let close = rest.firstIndex(of: "]") {
                    keys.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                keys = [name]
            }
            root = insert(root, keys[...], value)
        }
        return root.mapValues(arrays)
    }

    static func insert(_ node: [String: Any], _ keys: ArraySlice<String>, _ value: String) -> [String: Any] {
        var node = node
        guard let key = keys.first else { return node }
        let name = key.isEmpty ? String(node.count) : key
        if keys.count == 1 {
            node[name] = value
        } else {
            node[name] = insert(node[name] as? [String: Any] ?? [:], keys.dropFirst(), value)
        }
        return node
    }

    static func arrays(_ value: Any) -> Any {
        guard let object = value as? [String: Any] else { return value }
        let converted = object.mapValues(arrays)
        if !converted.isEmpty, converted.keys.allSatisfy({ Int($0) != nil }) {
            return converted.keys.sorted { Int($0)! < Int($1)! }.map { converted[$0]! }
        }
        return converted
    }
}
