import ChatTagCore
import FuzzImport

/// A WhatsApp archive (or any bytes) with the format detected, as a plain `chattag import` does.
let target = ImportTarget(format: .auto, fileName: "WhatsApp Chat with Fuzz.zip")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}

/// SwiftPM links an executable with `main` set to `fuzz_zip_main` (so tests can call it), which
/// keeps libFuzzer's own `main` out: this is that entry point, handing over to libFuzzer.
@_cdecl("fuzz_zip_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
