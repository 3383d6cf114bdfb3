import ChatTagCore
import FuzzImport

/// WhatsApp text exports, Android and iOS, read as `--format whatsapp`.
let target = ImportTarget(format: .whatsapp, fileName: "WhatsApp Chat with Fuzz.txt")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}

/// SwiftPM links an executable with `main` set to `fuzz_whatsapp_main` (so tests can call it), which
/// keeps libFuzzer's own `main` out: this is that entry point, handing over to libFuzzer.
@_cdecl("fuzz_whatsapp_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
