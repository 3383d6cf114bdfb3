import Foundation

/// A small inline-SVG line chart of one figure over the last weeks. A week without a value
/// leaves a gap; where the instrument changed between two weeks the line breaks and a dashed
/// rule marks the change, so a new prompt is never drawn as a trend.
struct TrendChart {
    struct Point {
        var label: String
        var value: Double?
        /// Shown on hover: `6 из 31`.
        var detail: String
        /// Points of different segments are never joined (another instrument).
        var segment: Int
    }

    var title: String
    var points: [Point]
    /// How the axis maximum and each value are written.
    var format: (Double) -> String
    /// The axis top for the largest value.
    var ceiling: (Double) -> Double = TrendChart.niceCeiling
    var changeLabel: String

    static let width = 300.0, height = 150.0
    static let left = 44.0, right = 10.0, top = 12.0, bottom = 26.0

    func svg() -> String {
        let h = ReportText.html
        let values = points.compactMap(\.value)
        let maximum = ceiling(values.max() ?? 0)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func x(_ index: Int) -> Double { Self.left + (points.count > 1 ? Double(index) * plotWidth / Double(points.count - 1) : plotWidth / 2) }
        func y(_ value: Double) -> Double { Self.top + plotHeight - (maximum > 0 ? value / maximum * plotHeight : 0) }
        var out = "<svg viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" role=\"img\" aria-label=\"\(h(title))\">"
        out += "<line x1=\"\(Self.left)\" y1=\"\(y(0))\" x2=\"\(Self.width - Self.right)\" y2=\"\(y(0))\" stroke=\"#bbb\"/>"
        out += "<line x1=\"\(Self.left)\" y1=\"\(Self.top)\" x2=\"\(Self.width - Self.right)\" y2=\"\(Self.top)\" stroke=\"#eee\"/>"
        out += "<text x=\"\(Self.left - 4)\" y=\"\(Self.top + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">\(h(format(maximum)))</text>"
        out += "<text x=\"\(Self.left - 4)\" y=\"\(y(0) + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">0</text>"
        for (index, point) in points.enumerated() where index > 0 && point.segment != points[index - 1].segment {
            let middle = (x(index - 1) + x(index)) / 2
            out += "<line x1=\"\(middle)\" y1=\"\(Self.top)\" x2=\"\(middle)\" y2=\"\(y(0))\" stroke=\"#e0a800\" stroke-dasharray=\"4 3\"><title>\(h(changeLabel))</title></line>"
        }
        var path: [String] = []
        for (index, point) in points.enumerated() {
            guard let value = point.value else { continue }
            let joined = index > 0 && points[index - 1].value != nil && points[index - 1].segment == point.segment
            path.append("\(joined ? "L" : "M")\(String(format: "%.1f", x(index))) \(String(format: "%.1f", y(value)))")
        }
        if !path.isEmpty { out += "<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#4c78a8\" stroke-width=\"2\"/>" }
        for (index, point) in points.enumerated() {
            if let value = point.value {
                let last = index == points.count - 1
                out +=
                    "<circle cx=\"\(String(format: "%.1f", x(index)))\" cy=\"\(String(format: "%.1f", y(value)))\" r=\"\(last ? 4 : 2.5)\" fill=\"\(last ? "#1f4e79" : "#4c78a8")\">"
                out += "<title>\(h(point.label)): \(h(format(value))) (\(h(point.detail)))</title></circle>"
                if last {
                    out +=
                        "<text x=\"\(String(format: "%.1f", x(index) - 4))\" y=\"\(String(format: "%.1f", max(Self.top + 10, y(value) - 8)))\" font-size=\"11\" text-anchor=\"end\" font-weight=\"600\">\(h(format(value)))</text>"
                }
            }
            let every = max(1, points.count / 4)
            if index == 0 || index == points.count - 1 || (index % every == 0 && points.count - 1 - index >= every / 2 + 1) {
                out += "<text x=\"\(String(format: "%.1f", x(index)))\" y=\"\(Self.height - 8)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">\(h(point.label))</text>"
            }
        }
        return "<div class=\"trend\"><h3>\(h(title))</h3>" + out + "</svg></div>"
    }

    /// A round duration at least `seconds`: a whole minute, 5, 10, 15, 30 minutes, or whole hours.
    static func durationCeiling(_ seconds: Double) -> Double {
        guard seconds > 0 else { return 60 }
        for step in [60.0, 300, 600, 900, 1800, 3600] where step >= seconds { return step }
        return (seconds / 3600).rounded(.up) * 3600
    }

    /// 1, 2 or 5 times a power of ten, at least `value` (the axis top); 1 for zero.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * power >= value - 1e-9 { return step * power }
        return 10 * power
    }
}
