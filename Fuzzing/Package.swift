// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer targets for the importers and the tag parser. A package of its own, so the root
// package's `swift test` never builds it; `scripts/fuzz.sh` builds and runs it with
// `-sanitize=fuzzer,address`.
// SwiftPM names a path dependency after its folder, so the checkout's folder name is the
// package to ask for `ChatTagCore`.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()
let core = Target.Dependency.product(name: "ChatTagCore", package: root)

let package = Package(
    name: "chattag-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        .target(name: "FuzzImport", dependencies: [core]),
        .executableTarget(name: "fuzz-jsonl", dependencies: ["FuzzImport"]),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzImport"]),
        .executableTarget(name: "fuzz-telegram", dependencies: ["FuzzImport"]),
        .executableTarget(name: "fuzz-whatsapp", dependencies: ["FuzzImport"]),
        .executableTarget(name: "fuzz-zip", dependencies: ["FuzzImport"]),
        .executableTarget(name: "fuzz-tagparser", dependencies: ["FuzzImport", core]),
    ]
)
