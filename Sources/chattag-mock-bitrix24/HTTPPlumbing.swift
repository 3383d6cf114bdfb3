// The Bitrix24 stand-in's answers; the socket plumbing is shared in MockHTTP.

import Foundation
import MockHTTP

/// One HTTP answer; `close` ends the connection after it is written.
struct Response {
    var status: Int
    var body: Data
    var close = false

    static let reasons = [
        200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 413: "Payload Too Large", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 503: "Service Unavailable",
    ]

    func serialized() -> Data {
        var head = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "Status")\r\nContent-Type: application/json; charset=utf-8\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: \(close ? "close" : "keep-alive")\r\n\r\n"
        var data = Data(head.utf8)
        data.append(body)
        return data
    }
}
