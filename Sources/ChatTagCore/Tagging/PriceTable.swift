import Foundation

/// US dollars per million tokens, per model, for cost estimates. The defaults are list
/// prices at the time of writing; a JSON file (`--prices FILE`, env `CHATTAG_PRICES`) of
/// `{"model": {"input": 0.4, "output": 1.6}}` adds or overrides entries.
public struct PriceTable: Sendable {
    public struct Price: Sendable, Codable, Equatable {
        public var input: Double
        public var output: Double
        /// USD per 1M prompt tokens served from the provider's prompt cache; nil: as `input`.
        public var cachedInput: Double?

        public init(input: Double, output: Double, cachedInput: Double? = nil) {
            self.input = input
            self.output = output
            self.cachedInput = cachedInput
        }

        enum CodingKeys: String, CodingKey {
            case input, output
            case cachedInput = "cached_input"
        }
    }

    public private(set) var prices: [String: Price] = [
        "gpt-4.1": Price(input: 2.00, output: 8.00, cachedInput: 0.50),
        "gpt-4.1-mini": Price(input: 0.40, output: 1.60, cachedInput: 0.10),
        "gpt-4.1-nano": Price(input: 0.10, output: 0.40, cachedInput: 0.025),
        "gpt-4o": Price(input: 2.50, output: 10.00, cachedInput: 1.25),
        "gpt-4o-mini": Price(input: 0.15, output: 0.60, cachedInput: 0.075),
        "baseline": Price(input: 0, output: 0),
    ]

    public init() {}

    /// Sets one model's price, in USD per 1M tokens.
    public mutating func set(model: String, input: Double, output: Double) {
        prices[model] = Price(input: input, output: output)
    }

    /// Adds the entries of a JSON price file.
    public mutating func merge(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaggingError.badOption("cannot read the price file \(path)")
        }
        do {
            for (model, price) in try JSONDecoder().decode([String: Price].self, from: data) { prices[model] = price }
        } catch {
            throw TaggingError.badOption("\(path) is not a price table like {\"gpt-4.1-mini\": {\"input\": 0.4, \"output\": 1.6}}")
        }
    }

    /// The cost in USD, or nil when the model has no price (a local model: say so, don't guess).
    /// `cachedTokens` of `tokensIn` came from the provider's prompt cache and cost its cached
    /// rate where the table gives one.
    public func cost(model: String, tokensIn: Int, tokensOut: Int, cachedTokens: Int = 0) -> Double? {
        // A dated name (`gpt-4.1-mini-2025-04-14`) takes the price of its longest listed prefix.
        let price = prices[model] ?? prices.filter { model.hasPrefix($0.key + "-") }.max { $0.key.count < $1.key.count }?.value
        guard let price else { return nil }
        let cached = Double(min(max(0, cachedTokens), tokensIn))
        let input = (Double(tokensIn) - cached) * price.input + cached * (price.cachedInput ?? price.input)
        return (input + Double(tokensOut) * price.output) / 1_000_000
    }
}

/// Why a run stopped or did not start.
public enum TaggingError: Error, CustomStringConvertible, Equatable {
    case endpointRefused(status: Int, message: String)
    case endpointUnreachable(String)
    /// The first `calls` answers of the run were all of one kind that no chat-completions API
    /// gives (see ``EndpointHealth``); `timeout` is the request's, in seconds.
    case notAnEndpoint(url: String, failure: EndpointHealth.Failure, calls: Int, timeout: Double)
    case costLimit(estimateUSD: Double, limitUSD: Double)
    case badOption(String)
    case databaseBusy(String)

    public var description: String {
        switch self {
        case let .endpointRefused(status, message):
            let hint: String
            switch status {
            case 401: hint = "Check OPENAI_API_KEY (or --api-key-file)."
            case 403: hint = "The key may not use this model or endpoint; check its permissions."
            case 404: hint = "Check OPENAI_BASE_URL (it usually ends in /v1) and the model name."
            default: hint = "Check the endpoint settings."
            }
            return "the endpoint refused the run with HTTP \(status): \(message.prefix(200)). \(hint) Tags made so far are saved; run again to continue."
        case let .endpointUnreachable(detail):
            return "the endpoint is unreachable (\(detail)). Check OPENAI_BASE_URL and that the server is running; tags made so far are saved, run again to continue."
        case let .notAnEndpoint(url, failure, calls, timeout):
            let called = url.hasSuffix("/") ? url + "chat/completions" : url + "/chat/completions"
            let saved = "Tags made so far are saved; run again to continue."
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            switch failure {
            case .html:
                return
                    "POST \(called) answered \(calls) calls with an HTML page (HTTP 200) and never with a chat completion: that is a web page, not the API. Does --base-url (or OPENAI_BASE_URL) end in /v1, e.g. http://127.0.0.1:8080/v1? \(saved)"
            case .empty:
                return
                    "POST \(called) answered \(calls) calls with an empty body (HTTP 200) and never with a chat completion. Is this the address and port of the model server's OpenAI-compatible API, and does --base-url end in /v1? \(saved)"
            case .notACompletion:
                return
                    "POST \(called) answered \(calls) calls with HTTP 200 bodies that are not chat completions. Check that --base-url points at an OpenAI-compatible API (it usually ends in /v1). \(saved)"
            case .noAnswer:
                return
                    "POST \(called) answered none of \(calls) calls within --timeout \(seconds) s, and no call of this run was ever answered. Is the server up and listening there (a model still loading, a port that is not the API, a firewall dropping packets)? Check --base-url (does it end in /v1?), or raise --timeout if the first answer is slow. \(saved)"
            }
        case let .costLimit(estimate, limit):
            return String(format: "the run would cost about $%.4f, over --max-cost $%.4f. Raise --max-cost, use --limit, or pick a cheaper model.", estimate, limit)
        case let .badOption(text):
            return text
        case let .databaseBusy(path):
            return "another chattag run is using \(path). Wait for it to finish (or stop it) and run again."
        }
    }
}
