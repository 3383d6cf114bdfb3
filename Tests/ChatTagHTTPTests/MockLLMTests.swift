import ChatTagCore
import ChatTagTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The mock endpoint itself, over raw sockets: it reads request JSON the way a real server
/// does (escapes included, garbage refused) and serves more connections than it starts
/// threads for.
@Suite struct MockLLMTests {
    /// A connection to the mock on 127.0.0.1, or -1.
    static func openConnection(port: Int) -> Int32 {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socketFD)
            return -1
        }
        return socketFD
    }

    /// Sends one completion request with `body`; `Connection: close` unless `keepAlive`.
    static func sendRequest(_ body: String, on socketFD: Int32, keepAlive: Bool) {
        let bytes = Array(body.utf8)
        let request =
            Array(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\(keepAlive ? "" : "Connection: close\r\n")\r\n"
                    .utf8) + bytes
        _ = request.withUnsafeBytes { send(socketFD, $0.baseAddress, $0.count, 0) }
    }

    /// One request on its own connection (`Connection: close`); the whole response as text.
    static func post(port: Int, body: String) -> String {
        let socketFD = openConnection(port: port)
        guard socketFD >= 0 else { return "" }
        defer { close(socketFD) }
        sendRequest(body, on: socketFD, keepAlive: false)
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// One request on an open connection that stays open; the response as text once its whole
    /// body (by Content-Length) has arrived, or "" if the connection ends or stalls first.
    static func exchange(_ body: String, on socketFD: Int32) -> String {
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        sendRequest(body, on: socketFD, keepAlive: true)
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let headerEnd = response.firstRange(of: [13, 10, 13, 10]) {
                let length =
                    String(decoding: response[..<headerEnd.lowerBound], as: UTF8.self).lowercased().split(separator: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if response.count - headerEnd.upperBound >= length { return String(decoding: response, as: UTF8.self) }
            }
            let count = chunk.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return "" }
            response += chunk[0..<count]
        }
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

    @Test func servesMoreConnectionsAtOnceThanItStartsThreadsFor() async throws {
        let server = try MockServer(["--latency-ms", "1000"])
        let port = server.port
        // One thread per client, so all 80 connections are open at once (the task pool would
        // run these blocking calls two at a time). Connections are kept alive and held open until
        // every client has its answer: the mock serves a kept-alive connection on one thread
        // until it closes, so with only the 64 threads it starts with, the other 16 clients
        // would have no answer while the first 64 hold theirs.
        let clients = 80
        let tally = Tally(clients: clients)
        for _ in 0..<clients {
            Thread.detachNewThread {
                let connection = Self.openConnection(port: port)
                if connection >= 0 { tally.opened() }
                let sent = ContinuousClock.now
                let ok =
                    connection >= 0
                    && Self.exchange(#"{"model":"m","messages":[{"role":"user","content":"Сколько стоит?"}]}"#, on: connection).hasPrefix("HTTP/1.1 200")
                tally.answered(ok, after: ContinuousClock.now - sent)
                tally.waitForEveryAnswer(seconds: 60)
                if connection >= 0 {
                    close(connection)
                    tally.closed()
                }
                tally.finished()
            }
        }
        // Only a bound on waiting: a broken mock must fail the test, not hang it.
        let deadline = ContinuousClock.now + .seconds(120)
        while tally.counts.finished < clients, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let counts = tally.counts
        #expect(counts.finished == clients)
        #expect(counts.succeeded == clients)
        // Every answer waited out the mock's 1 s latency: each connection really was in service.
        #expect(counts.quickest >= .seconds(1), "quickest answer after \(counts.quickest)")
        // The last answer came while every connection was open: 80 served at once, more than 64.
        #expect(counts.openAtLastAnswer == clients)
    }
}

/// Counts the clients' open connections and answers from plain threads, and holds each client
/// until every client has its answer.
final class Tally: Sendable {
    struct Counts {
        var open = 0
        var answered = 0
        var succeeded = 0
        var finished = 0
        /// Connections open when the last client had its answer.
        var openAtLastAnswer = 0
        /// The shortest time a successful client waited for its answer.
        var quickest = Duration.seconds(1_000_000)
    }

    let clients: Int
    private let state = Mutex(Counts())
    /// Signalled once for each client when the last answer arrives.
    private let everyoneAnswered = DispatchSemaphore(value: 0)

    init(clients: Int) {
        self.clients = clients
    }

    var counts: Counts { state.withLock { $0 } }

    func opened() { state.withLock { $0.open += 1 } }

    func closed() { state.withLock { $0.open -= 1 } }

    func finished() { state.withLock { $0.finished += 1 } }

    func answered(_ ok: Bool, after wait: Duration) {
        let last = state.withLock { counts in
            counts.answered += 1
            if ok {
                counts.succeeded += 1
                counts.quickest = min(counts.quickest, wait)
            }
            guard counts.answered == clients else { return false }
            counts.openAtLastAnswer = counts.open
            return true
        }
        if last { for _ in 0..<clients { everyoneAnswered.signal() } }
    }

    /// Returns once every client has its answer, or after `seconds`. Called on plain threads only.
    func waitForEveryAnswer(seconds: Int) {
        _ = everyoneAnswered.wait(timeout: .now() + .seconds(seconds))
    }
}
