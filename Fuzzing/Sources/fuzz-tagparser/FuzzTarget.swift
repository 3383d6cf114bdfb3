import ChatTagCore
import FuzzImport

/// Model replies, read as bytes decoded as UTF-8 (invalid sequences replaced, as a transport
/// does), against the default taxonomy, the rubric and a taxonomy with a derived field.
let parsers = [
    TagParser(taxonomy: .default),
    TagParser(taxonomy: .rubric),
    TagParser(taxonomy: derivedTaxonomy),
]

let derivedTaxonomy: Taxonomy = {
    let fields = [
        TaxonomyField(name: "buying_interest", values: ["true", "false"]),
        TaxonomyField(name: "next_step_offered", values: ["true", "false"]),
        TaxonomyField(name: "intent", values: ["booking", "question", "complaint", "other"]),
    ]
    do {
        let missedLead = try DerivedField(name: "missed_lead", formula: "buying_interest and not next_step_offered", fields: fields)
        return Taxonomy(fields: fields, derived: [missedLead])
    } catch {
        fatalError("fuzz setup: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let reply = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for parser in parsers {
        switch parser.parse(reply) {
        case let .success(values): _ = values.count
        case let .failure(rejection): _ = rejection.reason
        }
    }
    return 0
}

/// SwiftPM links an executable with `main` set to `fuzz_tagparser_main` (so tests can call it), which
/// keeps libFuzzer's own `main` out: this is that entry point, handing over to libFuzzer.
@_cdecl("fuzz_tagparser_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
