import Foundation

/// An inline-SVG chart of estimates with their 95% intervals: one row per estimate, a dot
/// with error bars on a shared axis, and an optional reference line (zero for a difference).
struct IntervalChart {
    struct Row {
        var label: String
        var value: Double
        var low: Double
        var high: Double
        /// Written at the right of the row: `0,85 (0,77–0,91)`.
        var text: String
        /// Fill of the dot: which side of the reference the whole interval lies on, if any.
        var color = "#4c78a8"
    }

    var title: String
    var rows: [Row]
    var axis: ClosedRange<Double>
    var reference: Double?
    var tick: (Double) -> String

    static let labelWidth = 110.0, plotWidth = 240.0, rowHeight = 24.0

    /// Room for the longest text at the right of a row (about 6.5 px a character at 11 px).
    var textWidth: Double { Double(rows.map(\.text.count).max() ?? 0) * 6.5 + 12 }

    func svg() -> String {
        let h = ReportText.html
        let width = Self.labelWidth + Self.plotWidth + textWidth
        let height = Double(rows.count) * Self.rowHeight + 28
        func x(_ value: Double) -> Double {
            let clamped = min(max(value, axis.lowerBound), axis.upperBound)
            return Self.labelWidth + (clamped - axis.lowerBound) / (axis.upperBound - axis.lowerBound) * Self.plotWidth
        }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var out = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(h(title))\">"
        let bottom = Double(rows.count) * Self.rowHeight + 4
        for value in [axis.lowerBound, (axis.lowerBound + axis.upperBound) / 2, axis.upperBound] {
            out += "<line x1=\"\(f(x(value)))\" y1=\"2\" x2=\"\(f(x(value)))\" y2=\"\(f(bottom))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(f(x(value)))\" y=\"\(f(bottom + 14))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">\(h(tick(value)))</text>"
        }
        if let reference {
            out += "<line x1=\"\(f(x(reference)))\" y1=\"2\" x2=\"\(f(x(reference)))\" y2=\"\(f(bottom))\" stroke=\"#888\" stroke-width=\"1.5\"/>"
        }
        for (index, row) in rows.enumerated() {
            let y = Double(index) * Self.rowHeight + Self.rowHeight / 2 + 2
            out += "<text x=\"0\" y=\"\(f(y + 4))\" font-size=\"12\">\(h(row.label))</text>"
            out += "<line x1=\"\(f(x(row.low)))\" y1=\"\(f(y))\" x2=\"\(f(x(row.high)))\" y2=\"\(f(y))\" stroke=\"#333\" stroke-width=\"1.5\"/>"
            for end in [row.low, row.high] {
                out += "<line x1=\"\(f(x(end)))\" y1=\"\(f(y - 5))\" x2=\"\(f(x(end)))\" y2=\"\(f(y + 5))\" stroke=\"#333\" stroke-width=\"1.5\"/>"
            }
            out += "<circle cx=\"\(f(x(row.value)))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(row.color)\"><title>\(h(row.label)): \(h(row.text))</title></circle>"
            out += "<text x=\"\(f(Self.labelWidth + Self.plotWidth + 8))\" y=\"\(f(y + 4))\" font-size=\"11\">\(h(row.text))</text>"
        }
        return "<div><h3>\(h(title))</h3>" + out + "</svg></div>"
    }
}
