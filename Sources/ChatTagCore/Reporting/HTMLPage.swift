/// The frame every HTML page shares: one self-contained file (inline CSS and SVG, no
/// scripts, no external resources) that reads on a phone as well as on a desktop.
struct HTMLPage {
    var title: String
    var language: OutputLanguage
    var body: [String]
    /// Rules added to the shared style sheet.
    var style = ""

    static let sharedStyle = """
        *{box-sizing:border-box}body{font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;margin:0 auto;padding:1em;color:#222;max-width:1240px;line-height:1.4}
        h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.25em;margin:1.4em 0 .4em}h3{font-size:1em;margin:.6em 0 .3em}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5em 0 1.2em}
        table{border-collapse:collapse;font-size:.92em}td,th{border:1px solid #ddd;padding:4px 7px;text-align:right;white-space:nowrap}
        th{background:#f4f4f4}td:first-child,th:first-child,.t{text-align:left}td.t:last-child{white-space:normal;min-width:16em}.text td.t{white-space:normal;min-width:7em}
        .row{display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start}.sub{color:#555}
        .note{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em 1em}
        code{background:#f4f4f4;padding:1px 4px}svg{max-width:100%;height:auto}
        .better{color:#1a7f37}.worse{color:#c62828}.same{color:#555}
        """

    func render() -> String {
        "<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>\(ReportText.html(title))</title><style>\(Self.sharedStyle)\(style)</style></head><body>\n"
            + body.joined(separator: "\n") + "\n</body></html>\n"
    }
}
