import ChatTagCore
import FuzzImport

/// Telegram JSON exports (one chat or a whole account), read as `--format telegram`.
let target = ImportTarget(format: .telegram, fileName: "result.json")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}

/// SwiftPM links an executable with `main` set to `fuzz_telegram_main` (so tests can call it), which
/// keeps libFuzzer's own `main` out: this is that entry point, handing over to libFuzzer.
@_cdecl("fuzz_telegram_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
