import ConnectorKit

/// What a dry run prints: per table the columns with their inferred types, how many rows the
/// sample made, and its first rows (long cells cut).
enum SampleReport {
    static func render(_ tables: [SampleDestination.Table], pipeline: String) -> String {
        guard !tables.isEmpty else { return "\(pipeline): the sample produced no rows" }
        var lines: [String] = []
        for table in tables {
            let columns = table.schema.columns.filter { !$0.name.hasPrefix("_") }
            lines.append("")
            lines.append(
                "table \(table.schema.name) (resource \(table.schema.resource)): \(table.rows) row(s) in the sample")
            lines.append("  columns: " + columns.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", "))
            for (n, row) in table.first.enumerated() {
                let cells = zip(table.schema.columns, row).filter { !$0.0.name.hasPrefix("_") }
                    .map { "\($0.0.name)=\(cell($0.1))" }
                lines.append(StatusText.cut("  row \(n + 1): " + cells.joined(separator: ", "), to: 160))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func cell(_ value: Value) -> String {
        guard let text = value.textValue else { return "null" }
        if case .text = value { return StatusText.cut(text.debugDescription, to: 40) }
        return text
    }
}
