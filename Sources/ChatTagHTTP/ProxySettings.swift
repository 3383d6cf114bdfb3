import AsyncHTTPClient
import Foundation

/// The proxy an endpoint is reached through, from the environment variables curl and the
/// official SDKs read: `HTTPS_PROXY`/`https_proxy` for https endpoints, `HTTP_PROXY`/
/// `http_proxy` for http ones (falling back to `ALL_PROXY`), minus the hosts in
/// `NO_PROXY`/`no_proxy`. Loopback endpoints (a local model, the mock) never use a proxy.
enum ProxySettings {
    static func proxy(for url: URL, environment: [String: String]) -> HTTPClient.Configuration.Proxy? {
        guard let host = url.host?.lowercased(), !isLoopback(host) else { return nil }
        func value(_ names: [String]) -> String? { names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } }
        if let exclusions = value(["NO_PROXY", "no_proxy"]) {
            for rule in exclusions.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !rule.isEmpty {
                if rule == "*" { return nil }
                let bare = rule.hasPrefix(".") ? String(rule.dropFirst()) : rule
                if host == bare || host.hasSuffix("." + bare) { return nil }
            }
        }
        let secure = url.scheme?.lowercased() == "https"
        guard let text = value(secure ? ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] : ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]),
            let proxy = URL(string: text.contains("://") ? text : "http://" + text), let proxyHost = proxy.host
        else { return nil }
        if proxy.scheme?.lowercased().hasPrefix("socks") == true {
            return .socksServer(host: proxyHost, port: proxy.port ?? 1080)
        }
        if let user = proxy.user {
            return .server(
                host: proxyHost, port: proxy.port ?? 80,
                authorization: .basic(username: user.removingPercentEncoding ?? user, password: (proxy.password ?? "").removingPercentEncoding ?? ""))
        }
        return .server(host: proxyHost, port: proxy.port ?? 80)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
