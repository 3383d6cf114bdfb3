import AsyncHTTPClient
import ChatTagCore
import Foundation
import Testing

@testable import ChatTagCRM

/// The Bitrix24 client reaches its portal the way the model client reaches its endpoint:
/// through the environment's proxy, with the environment's extra CA certificates.
@Suite struct Bitrix24ClientTests {
    @Test func thePortalIsReachedThroughTheEnvironmentsProxyAndCertificates() throws {
        let cloud = try Bitrix24Webhook(parsing: "https://salon.bitrix24.ru/rest/1/abcd1234efgh/")
        let proxied = Bitrix24Client.configuration(for: cloud, environment: ["HTTPS_PROXY": "http://proxy.corp:3128", "SSL_CERT_FILE": "/etc/corp-ca.pem"])
        #expect(proxied.proxy?.host == "proxy.corp" && proxied.proxy?.port == 3128)
        #expect(proxied.tlsConfiguration != nil)
        let excluded = Bitrix24Client.configuration(for: cloud, environment: ["HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": ".bitrix24.ru"])
        #expect(excluded.proxy?.host == nil && excluded.tlsConfiguration == nil)
        let local = try Bitrix24Webhook(parsing: "http://127.0.0.1:8080/rest/1/abcd1234efgh/")
        #expect(Bitrix24Client.configuration(for: local, environment: ["HTTP_PROXY": "http://proxy.corp:3128"]).proxy?.host == nil)
        #expect(Bitrix24Client.configuration(for: cloud, environment: [:]).proxy?.host == nil)
    }
}
