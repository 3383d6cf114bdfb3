import AsyncHTTPClient
import Foundation
import NIOSSL

/// What the environment says about reaching an endpoint, the same for every adapter that
/// calls out (the model endpoint, Bitrix24): the proxy from `HTTPS_PROXY`/`HTTP_PROXY`/
/// `NO_PROXY` as for curl (``ProxySettings``; loopback never goes through one), and extra CA
/// certificates from `SSL_CERT_FILE` (PEM, trusted beside the system's: a company's
/// TLS-inspecting proxy, or a local server's own certificate).
///
/// ```swift
/// var configuration = HTTPClient.Configuration()
/// HTTPEnvironment.apply(to: &configuration, for: url, environment: ProcessInfo.processInfo.environment)
/// ```
public enum HTTPEnvironment {
    /// Sets `configuration`'s proxy and TLS trust for requests to `url`.
    public static func apply(to configuration: inout HTTPClient.Configuration, for url: URL, environment: [String: String]) {
        configuration.proxy = ProxySettings.proxy(for: url, environment: environment)
        if let bundle = environment["SSL_CERT_FILE"], !bundle.isEmpty {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(bundle)]
            configuration.tlsConfiguration = tls
        }
    }
}
