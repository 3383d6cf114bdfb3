import ChatTagCore
import ChatTagTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The mock endpoint itself, over raw sockets: it reads request JSON the way a real server
/// does (escapes included, garbage refused) and serves more connections than it starts
/// threads for.
@Suite struct MockLLMTests {
    /// One request on its own connection (`Connection: close`); the whole response as text.
    static func post(port: Int, body: String) -> String {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        let bytes = Array(body.utf8)
        let request =
            Array(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + bytes
        _ = request.withUnsafeBytes { send(socketFD, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    @Test func readsEscapedJSONLikeARealServer() throws {
        let server = try MockServer()
        // «Хочу записаться» with \u escapes, a surrogate pair (😀) and escaped quotes and newlines.
        let body = #"""
            {"model":"m","messages":[{"role":"system","content":"Размечай.\n\"тег\""},
             {"role":"user","content":"\u0425\u043e\u0447\u0443 \u0437\u0430\u043f\u0438\u0441\u0430\u0442\u044c\u0441\u044f \ud83d\ude00"}],
             "temperature":0.5,"seed":-3,"max_tokens":1e2,"stream":false,"stop":null}
            """#
        let response = Self.post(port: server.port, body: body)
        #expect(response.hasPrefix("HTTP/1.1 200"))
        #expect(response.contains(#"\"intent\":\"booking\""#))
        let recorded = try #require(server.recorded().first?["body"] as? [String: Any])
        let user = (recorded["messages"] as? [[String: Any]])?.last?["content"] as? String
        #expect(user == "Хочу записаться 😀")
    }

    @Test func refusesBodiesThatAreNotOneJSONObject() throws {
        let server = try MockServer()
        for body in [
            #"{"model": "#, #"{"model":"m"} trailing"#, #"{"model":"m",}"#, #"{"model":"\x"}"#, "[1,2]", #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":tru}"#,
            #"{"a":"\u+041"}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00\u0041"}"#,
        ] {
            let response = Self.post(port: server.port, body: body)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(body)")
            #expect(response.contains("could not parse the JSON body"), "\(body)")
        }
        // A byte order mark before the value is allowed, as JSONSerialization allows it.
        #expect(Self.post(port: server.port, body: "\u{FEFF}" + #"{"model":"m","messages":[]}"#).hasPrefix("HTTP/1.1 200"))
    }

    @Test func servesMoreConnectionsAtOnceThanItStartsThreadsFor() throws {
        let server = try MockServer(["--latency-ms", "1000"])
        let port = server.port
        // One thread per client, so all 80 connections are open at once (the task pool would
        // run these blocking calls two at a time).
        let done = Tally()
        for _ in 0..<80 {
            Thread.detachNewThread {
                let sent = Date()
                let ok = Self.post(port: port, body: #"{"model":"m","messages":[{"role":"user","content":"Сколько стоит?"}]}"#).hasPrefix("HTTP/1.1 200")
                done.add(ok, seconds: Date().timeIntervalSince(sent))
            }
        }
        let answered = done.wait(for: 80, seconds: 10)
        #expect(answered == 80)
        // Each answer 1 s after its own request: none waited for a thread to come free (that
        // wait would be another second).
        #expect(done.slowest < 1.9)
    }
}

/// Counts answers from plain threads and waits for all of them.
final class Tally: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished = 0
    private var succeeded = 0
    private var longest = 0.0

    /// The longest time one client took, in seconds.
    var slowest: Double {
        condition.lock()
        defer { condition.unlock() }
        return longest
    }

    func add(_ ok: Bool, seconds: Double) {
        condition.lock()
        finished += 1
        if ok { succeeded += 1 }
        longest = max(longest, seconds)
        condition.signal()
        condition.unlock()
    }

    /// The successes once `count` have finished, or after `seconds`.
    func wait(for count: Int, seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while finished < count, condition.wait(until: deadline) {}
        return succeeded
    }
}
