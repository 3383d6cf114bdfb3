// The HTTP plumbing the loopback stand-ins share (the LLM endpoint and Bitrix24): one parsed
// request, reading requests off a socket (keep-alive and pipelining), writing answers. POSIX
// sockets only.

import Foundation

#if canImport(Glibc)
import Glibc
public let streamSocket = Int32(SOCK_STREAM.rawValue), noSignal = Int32(MSG_NOSIGNAL)
#else
import Darwin
public let streamSocket = SOCK_STREAM, noSignal: Int32 = 0
#endif

/// One parsed HTTP request. Header names are lowercased; the path keeps no query string.
public struct Request {
    public var method: String, path: String
    public var headers: [(String, String)]
    public var body: Data
    public var keepAlive: Bool
    /// When the whole request had arrived (CLOCK_MONOTONIC, nanoseconds).
    public var arrivedAt: UInt64 = 0
    public func header(_ name: String) -> String? { headers.last { $0.0 == name }?.1 }

    public init(method: String, path: String, headers: [(String, String)], body: Data, keepAlive: Bool, arrivedAt: UInt64 = 0) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
        self.arrivedAt = arrivedAt
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
public func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// The offset of `needle` in `haystack`, by memchr + memcmp: the generic collection search
/// is an order of magnitude slower and runs dozens of times per request (glibc's memmem is
/// not visible to Swift).
public func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty ? 0 : nil }
    return haystack.withUnsafeBufferPointer { hay in
        needle.withUnsafeBufferPointer { pin in
            let base = hay.baseAddress!, last = hay.count - pin.count
            var start = 0
            while start <= last, let hit = memchr(base + start, Int32(pin[0]), last - start + 1) {
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + offset, pin.baseAddress!, pin.count) == 0 { return offset }
                start = offset + 1
            }
            return nil
        }
    }
}

/// Writes all of `data`; false when the client has gone (EPIPE/ECONNRESET), which is normal.
public func send(_ data: Data, to fd: Int32) -> Bool {
    data.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, noSignal)
            if sent < 0 && errno == EINTR { continue }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }
}

/// Half-closes and drains briefly before closing, so unread request bytes do not turn the
/// close into a reset that could destroy the answer before the client reads it.
public func lingeringClose(_ fd: Int32) {
    shutdown(fd, Int32(SHUT_WR))
    var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var scratch = [UInt8](repeating: 0, count: 16_384)
    for _ in 0..<64 where recv(fd, &scratch, scratch.count, 0) > 0 {}
}

/// Drops spaces and tabs around a header name or value.
public func trimmed(_ text: Substring) -> String {
    var text = text
    while text.first == " " || text.first == "\t" { text.removeFirst() }
    while text.last == " " || text.last == "\t" { text.removeLast() }
    return String(text)
}

/// Reads requests off one socket: finds the header block, checks the request line and
/// Content-Length, then waits for the whole body. Bytes past one request stay buffered for
/// the next, which is how pipelined requests are handled.
public struct RequestReader {
    public enum Outcome {
        case request(Request)
        /// `CONNECT host:port`: the client asks for a tunnel, as through a proxy.
        case tunnel(String)
        case bad(Int, String)
        case closed
    }
    public static let maxBody = 8 << 20, maxHeader = 64 << 10
    public let fd: Int32
    var buffer: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 64 << 10)

    /// Appends what the socket has; false at end of stream or on an error.
    private mutating func fill() -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { buffer.append(contentsOf: chunk[0..<count]); return true }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }

    public init(fd: Int32) {
        self.fd = fd
    }

    public mutating func next() -> Outcome {
        var headerEnd = Int.max
        while true {
            // Blank lines between requests are allowed (RFC 9112 §2.2).
            while buffer.starts(with: [13, 10]) { buffer.removeFirst(2) }
            if let end = find([13, 10, 13, 10], in: buffer) { headerEnd = end; break }
            if buffer.count > Self.maxHeader { break }
            if !fill() { return .closed }
        }
        guard headerEnd <= Self.maxHeader else { return .bad(431, "Request header block is too large.") }
        // "\r\n" is one Character in Swift, so a plain split finds the header lines.
        let lines = String(decoding: buffer[0..<headerEnd], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        // The absolute form (`POST http://host/v1/… HTTP/1.1`) is what a client sends to a
        // proxy; accepting it lets tests stand the mock in as one.
        var target = parts.count > 1 ? String(parts[1]) : ""
        if parts.count == 3, parts[0] == "CONNECT", !target.isEmpty {
            // A proxy tunnel to a plain-HTTP endpoint: say yes and keep serving on this socket.
            buffer.removeFirst(headerEnd + 4)
            return .tunnel(target)
        }
        if target.lowercased().hasPrefix("http://"), let authority = target.range(of: "://") {
            let rest = target[authority.upperBound...]
            target = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        guard parts.count == 3, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0", !parts[0].isEmpty, target.hasPrefix("/") else {
            return .bad(400, "Malformed request line.")
        }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .bad(400, "Malformed header line.") }
            headers.append((trimmed(line[..<colon]).lowercased(), trimmed(line[line.index(after: colon)...])))
        }
        let header = { (name: String) in headers.last { $0.0 == name }?.1 }
        if header("transfer-encoding") != nil { return .bad(400, "Chunked request bodies are not supported; send Content-Length.") }
        // Digits only ("+5" and "-1" parse as Int), and repeated headers must agree.
        let lengths = Set(headers.filter { $0.0 == "content-length" }.map(\.1)), text = lengths.first ?? "0"
        guard lengths.count <= 1, text.utf8.allSatisfy({ (48...57).contains($0) }), let length = Int(text) else {
            return .bad(400, "Invalid Content-Length.")
        }
        if length > Self.maxBody { return .bad(413, "Request body is larger than 8 MB.") }

        let bodyStart = headerEnd + 4
        if buffer.count < bodyStart + length, header("expect")?.lowercased() == "100-continue" {
            _ = send(Data("HTTP/1.1 100 Continue\r\n\r\n".utf8), to: fd)
        }
        while buffer.count < bodyStart + length { if !fill() { return .closed } }
        let connection = header("connection")?.lowercased() ?? ""
        let request = Request(
            method: String(parts[0]), path: String(target.split(separator: "?", maxSplits: 1).first ?? ""), headers: headers,
            body: Data(buffer[bodyStart..<bodyStart + length]),
            keepAlive: parts[2] == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive"))
        buffer.removeFirst(bodyStart + length)
        var arrived = request
        arrived.arrivedAt = monotonicNanoseconds()
        return .request(arrived)
    }
}

/// A socket listening on 127.0.0.1 only — never a wildcard — at `port` (0: an ephemeral one),
/// and the port it got; nil when it cannot bind or listen (`errno` says why).
public func loopbackListener(port: Int, backlog: Int32) -> (socket: Int32, port: UInt16)? {
    let listener = socket(AF_INET, streamSocket, 0)
    guard listener >= 0 else { return nil }
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(listener, pointer, length) == 0 && listen(listener, backlog) == 0 && getsockname(listener, pointer, &length) == 0
        }
    }
    guard bound else { return nil }
    return (listener, UInt16(bigEndian: address.sin_port))
}
