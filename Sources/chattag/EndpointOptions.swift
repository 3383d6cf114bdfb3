import ArgumentParser
import ChatTagCore
import ChatTagHTTP
import Foundation

/// Where the endpoint is: flags override the official SDKs' environment variables, which
/// override the project file.
struct EndpointOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: "The endpoint, e.g. http://127.0.0.1:8080/v1 (env OPENAI_BASE_URL).") var baseURL: String?
    @Option(name: .customLong("api-key-file"), help: "A file holding the API key (instead of OPENAI_API_KEY).") var apiKeyFile: String?

    func endpoint(_ global: GlobalOptions) throws -> (URL, String?) {
        let environment = global.environment
        let configured = try global.project().baseURL
        let text = baseURL ?? environment["OPENAI_BASE_URL"] ?? configured ?? "https://api.openai.com/v1"
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("the endpoint '\(text)' is not an http(s) URL; set OPENAI_BASE_URL or --base-url.")
        }
        var key = environment["OPENAI_API_KEY"]
        if let apiKeyFile {
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw UseCaseError.unreadable(path: apiKeyFile, reason: "cannot read the API key file")
            }
            key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (url, key)
    }

    /// How runs of this command tag: the offline baseline, or the endpoint over HTTP.
    func setup(_ global: GlobalOptions, store: TaggingStore, options: TaggingOptions) throws -> TaggingSetup {
        let (url, apiKey) = try endpoint(global)
        return TaggingSetup(store: store, options: options, endpointDescription: url.absoluteString) { concurrency in
            AsyncHTTPChatClient(baseURL: url, apiKey: apiKey, maxConnections: concurrency)
        }
    }
}
