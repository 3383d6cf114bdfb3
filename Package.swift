// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "chattag",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chattag", targets: ["chattag"]),
        .library(name: "ChatTagCore", targets: ["ChatTagCore"]),
        .library(name: "ChatTagStore", targets: ["ChatTagStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        // Already under AsyncHTTPClient; named for its TLS configuration (extra CA certificates)
        // and for running a run's tasks on the client's event loop.
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "ChatTagCore",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Anonymize/Resources"]
        ),
        .target(name: "ChatTagStore", dependencies: ["ChatTagCore", "CSQLite"]),
        .target(
            name: "ChatTagHTTP",
            dependencies: [
                "ChatTagCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ChatTagCRM",
            dependencies: [
                "ChatTagCore", "ChatTagHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "chattag",
            dependencies: [
                "ChatTagCore", "ChatTagStore", "ChatTagHTTP", "ChatTagCRM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "chattag-bench", dependencies: ["ChatTagCore", "ChatTagStore"]),
        // The loopback stand-ins (an OpenAI-compatible endpoint, a Bitrix24 portal) share their socket plumbing.
        .target(name: "MockHTTP"),
        .executableTarget(name: "chattag-mock-llm", dependencies: ["MockHTTP"]),
        .executableTarget(name: "chattag-mock-bitrix24", dependencies: ["MockHTTP"]),
        .testTarget(name: "ChatTagCoreTests", dependencies: ["ChatTagCore"]),
        .testTarget(name: "ChatTagStoreTests", dependencies: ["ChatTagStore", "ChatTagCore"]),
        .testTarget(
            name: "ChatTagCRMTests", dependencies: ["ChatTagCRM", "ChatTagCore", .product(name: "AsyncHTTPClient", package: "async-http-client")]),
        .target(name: "ChatTagTestSupport", path: "Tests/ChatTagTestSupport"),
        .testTarget(name: "ChatTagHTTPTests", dependencies: ["ChatTagHTTP", "ChatTagCore", "ChatTagTestSupport", "chattag-mock-llm"]),
        .testTarget(
            name: "ChatTagCLITests", dependencies: ["chattag", "chattag-mock-llm", "chattag-mock-bitrix24", "ChatTagStore", "ChatTagTestSupport", "CZlib"]),
    ]
)
