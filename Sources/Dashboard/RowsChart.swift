import Foundation

/// Rows each load wrote per table, as an inline SVG line chart (oldest load left), one colour
/// per table with a legend: a table that swings shows at a glance.
enum RowsChart {
    static let width = 640.0
    static let height = 220.0
    static let margin = 36.0
    static let maxLoads = 30

    static func svg(_ history: LoadHistory) -> String {
        let loads = Array(history.loads.prefix(maxLoads).reversed())
        let series = tables(loads)
        guard !loads.isEmpty, !series.isEmpty else { return "<p class=muted>no loads yet</p>" }
        let top = Double(max(1, series.flatMap { $0.points.compactMap { $0 } }.max() ?? 1))
        let step = loads.count > 1 ? (width - 2 * margin) / Double(loads.count - 1) : 0
        func x(_ i: Int) -> Double { margin + Double(i) * step }
        func y(_ v: Int) -> Double { height - margin - Double(v) / top * (height - 2 * margin) }
        var parts = [
            "<line x1=\"\(margin)\" y1=\"\(height - margin)\" x2=\"\(width - margin)\" y2=\"\(height - margin)\" stroke=\"#999\"/>",
            "<text x=\"2\" y=\"\(margin)\" font-size=\"10\">\(Int(top))</text>",
            "<text x=\"2\" y=\"\(height - margin)\" font-size=\"10\">0</text>",
        ]
        for (n, table) in series.enumerated() {
            let colour = "hsl(\(n * 47 % 360),65%,42%)"
            let points = table.points.enumerated().compactMap { i, v in v.map { "\(x(i)),\(y($0))" } }
            parts.append(
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"><title>\(esc(table.name))</title></polyline>"
            )
            for (i, v) in table.points.enumerated() {
                guard let v else { continue }
                parts.append(
                    "<circle cx=\"\(x(i))\" cy=\"\(y(v))\" r=\"2.5\" fill=\"\(colour)\"><title>\(esc(table.name)): \(v) rows</title></circle>"
                )
            }
        }
        let legend = series.enumerated().map { n, table in
            "<span style=\"color:hsl(\(n * 47 % 360),65%,42%)\">■</span> \(esc(table.name))"
        }.joined(separator: " &nbsp; ")
        return
            "<svg id=rows-chart xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
            + parts.joined() + "</svg><p class=muted>\(legend)</p>"
    }

    /// Per table, its rows in each load (nil where the load did not write it).
    static func tables(_ loads: [LoadHistory.Load]) -> [(name: String, points: [Int?])] {
        let names = Set(loads.flatMap { $0.resources.flatMap { $0.rows.keys } }).sorted()
        return names.map { name in
            (
                name,
                loads.map { load in
                    let counts = load.resources.compactMap { $0.rows[name] }
                    return counts.isEmpty ? nil : counts.reduce(0, +)
                }
            )
        }
    }
}
