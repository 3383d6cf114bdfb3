import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts the `chattag-mock-bitrix24` stand-in on an ephemeral loopback port for one test
/// and stops it afterwards.
final class Bitrix24Stand {
    static let secret = "s3cr3t-webhook-7f2a9c"
    let process = Process()
    let port: Int

    static var binary: String {
        URL(fileURLWithPath: CLIRunner.binary).deletingLastPathComponent().appendingPathComponent("chattag-mock-bitrix24").path
    }

    init(data: [String: Any], _ arguments: [String] = []) throws {
        let dataPath = FileManager.default.temporaryDirectory.appendingPathComponent("bitrix-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: data).write(to: URL(fileURLWithPath: dataPath))
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--port", "0", "--secret", Self.secret, "--data", dataPath, "--lifetime-seconds", "300"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).split(separator: ":").last ?? "") else {
            process.terminate()
            throw NSError(domain: "Bitrix24Stand", code: 1, userInfo: [NSLocalizedDescriptionKey: "the stand-in did not start"])
        }
        self.port = port
    }

    deinit {
        let pid = process.processIdentifier
        if pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    var webhook: String { "http://127.0.0.1:\(port)/rest/1/\(Self.secret)/" }

    /// What the portal holds and counted: `activities`, `leads`, `requests`, `rate_limited`, `batches`, `methods`.
    func state() throws -> [String: Any] {
        let reply = get("/_state")
        guard let split = reply.range(of: Data("\r\n\r\n".utf8)) else {
            throw NSError(domain: "Bitrix24Stand", code: 2, userInfo: [NSLocalizedDescriptionKey: "no answer from the stand-in"])
        }
        return try JSONSerialization.jsonObject(with: reply[split.upperBound...]) as! [String: Any]
    }

    /// One plain HTTP/1.0 GET over a loopback socket (Foundation on Linux reads no http URLs).
    func get(_ path: String) -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return Data() }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return reply
    }

    /// 120 contacts (more than two pages) whose phones are written in every Russian notation,
    /// 61 deals; contact 77 has the phone `d2` mentions, contact 5 the one of `d1`, and contact
    /// 100, the phone of `d3`, has no deal.
    static func portalData() -> [String: Any] {
        let notations = ["+7 (900) 000-%@-%@", "8 900 000 %@ %@", "8900000%@%@", "+7-900-000-%@-%@", "900 000-%@-%@"]
        var contacts: [[String: Any]] = []
        for id in 1...120 {
            let digits = String(format: "%04d", id)
            var phone = String(format: notations[id % notations.count], String(digits.prefix(2)), String(digits.suffix(2)))
            if id == 77 { phone = "+7 (916) 123-45-67" }
            contacts.append([
                "ID": String(id), "NAME": "Контакт \(id)", "ASSIGNED_BY_ID": "3", "PHONE": [["ID": String(id), "VALUE_TYPE": "MOBILE", "VALUE": phone, "TYPE_ID": "PHONE"]],
            ])
        }
        var deals: [[String: Any]] = []
        for id in 1...60 {
            deals.append([
                "ID": String(1000 + id), "CONTACT_ID": String(id), "STAGE_SEMANTIC_ID": ["S", "F", "P"][id % 3], "DATE_CREATE": "2026-11-10T10:00:00+03:00",
                "ASSIGNED_BY_ID": "5",
            ])
        }
        deals.append(["ID": "5077", "CONTACT_ID": "77", "STAGE_SEMANTIC_ID": "F", "DATE_CREATE": "2026-11-17T12:30:00+03:00", "ASSIGNED_BY_ID": "7"])
        return ["contacts": contacts, "deals": deals]
    }
}
