// chattag-mock-bitrix24: a loopback-only stand-in for a Bitrix24 portal's REST API, reached
// through an inbound webhook `http://127.0.0.1:PORT/rest/<user>/<secret>/<method>`, used by
// the tests. It prints `listening on 127.0.0.1:PORT` and answers the methods chattag calls
// (see Portal.swift and docs/crm.md) with the data of `--data FILE`. Faults: the leaky
// bucket (`--bucket`, `--drain`: 503 QUERY_LIMIT_EXCEEDED when full), 401 for a wrong secret
// or a revoked webhook, OVERLOAD_LIMIT, 500s every Nth request, and slow replies.
// `GET /_state` shows what was created and counted; `POST /_revoke` revokes the webhook.

import Foundation
import MockHTTP

/// The command line.
struct Config: Sendable {
    var port = 0
    var user = "1", secret = "mock-secret"
    var dataPath: String?
    var bucket = 50
    var drain = 2.0
    var failEvery = 0
    var slowMs = 0
    var slowMethod: String?
    var revoked = false, overload = false
    var lifetimeSeconds = 3600.0

    static let usage = """
        usage: chattag-mock-bitrix24 [flags]
          --port N              port on 127.0.0.1 (default 0 = ephemeral)
          --user N --secret S   the webhook's user and secret (default 1, mock-secret)
          --data FILE           JSON with contacts, deals, leads, activities, histories
          --bucket N            requests the leaky bucket holds (default 50)
          --drain R             requests it drains a second (default 2)
          --fail-every N        every Nth request answers 500
          --slow-ms N           wait N ms before each answer (after the work is done)
          --slow-method NAME    only for this method
          --revoked             every call answers 401 expired_token
          --overload            every call answers 503 OVERLOAD_LIMIT
          --lifetime-seconds S  exit after S seconds (default 3600)
        """

    static func parse(_ arguments: [String]) -> Config {
        var config = Config(), rest = arguments[...]
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("chattag-mock-bitrix24: \(message) (see --help)\n".utf8))
            exit(2)
        }
        func value(_ name: String) -> String {
            guard let value = rest.popFirst() else { fail("\(name) needs a value") }
            return value
        }
        func number(_ name: String) -> Double {
            guard let number = Double(value(name)), number >= 0 else { fail("\(name) needs a number ≥ 0") }
            return number
        }
        while let name = rest.popFirst() {
            switch name {
            case "--help", "-h": print(usage); exit(0)
            case "--port": config.port = Int(number(name))
            case "--user": config.user = value(name)
            case "--secret": config.secret = value(name)
            case "--data": config.dataPath = value(name)
            case "--bucket": config.bucket = Int(number(name))
            case "--drain": config.drain = number(name)
            case "--fail-every": config.failEvery = Int(number(name))
            case "--slow-ms": config.slowMs = Int(number(name))
            case "--slow-method": config.slowMethod = value(name)
            case "--revoked": config.revoked = true
            case "--overload": config.overload = true
            case "--lifetime-seconds": config.lifetimeSeconds = number(name)
            default: fail("unknown flag \(name)")
            }
        }
        return config
    }
}

/// Serves one connection to its end; requests are answered in order.
func serve(_ fd: Int32, portal: Portal) {
    var reader = RequestReader(fd: fd)
    defer { close(fd) }
    while true {
        switch reader.next() {
        case .closed, .tunnel:
            return
        case let .bad(status, message):
            var response = portal.error(status, "ERROR_BAD_REQUEST", message)
            response.close = true
            _ = send(response.serialized(), to: fd)
            return lingeringClose(fd)
        case let .request(request):
            var response = portal.respond(to: request)
            response.close = !request.keepAlive
            if !send(response.serialized(), to: fd) { return }
            if response.close { return lingeringClose(fd) }
        }
    }
}

func run(_ config: Config) -> Never {
    signal(SIGPIPE, SIG_IGN)
    var data: [String: Any] = [:]
    if let path = config.dataPath {
        guard let bytes = FileManager.default.contents(atPath: path), let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            FileHandle.standardError.write(Data("chattag-mock-bitrix24: cannot read --data \(path)\n".utf8))
            exit(1)
        }
        data = object
    }
    let portal = Portal(config: config, data: data)
    guard let (listener, boundPort) = loopbackListener(port: config.port, backlog: 256) else {
        FileHandle.standardError.write(Data("chattag-mock-bitrix24: cannot listen on 127.0.0.1:\(config.port)\n".utf8))
        exit(1)
    }
    Thread.detachNewThread {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            var on: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            Thread.detachNewThread { serve(client, portal: portal) }
        }
    }
    FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(boundPort)\n".utf8))
    Thread.sleep(forTimeInterval: config.lifetimeSeconds)
    _exit(0)
}

run(Config.parse(Array(CommandLine.arguments.dropFirst())))
