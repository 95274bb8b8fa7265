import Foundation

/// What a run did: per resource pages, rows, requests, retries, status and time.
public struct RunReport: Sendable {
    public var pipeline: String
    public var destination: String
    public var loadId: String
    public var outcomes: [ResourceReport]
    /// False when nothing was committed (every resource failed).
    public var committed: Bool
    public var seconds: Double
    public var bytes: Int
    /// Requests that went on the wire, summed from the resources' rows: one count, so the
    /// rows and the footer always agree.
    public var requests: Int { outcomes.reduce(0) { $0 + $1.requests } }
    public var retries: Int { outcomes.reduce(0) { $0 + $1.retries } }

    public var succeeded: Bool { outcomes.allSatisfy { $0.status != .failed } && committed }
    public var totalRows: Int { outcomes.filter { $0.status == .succeeded }.reduce(0) { $0 + $1.totalRows } }

    /// A fixed-width table, one line per resource, then notes and errors.
    public func rendered() -> String {
        var lines: [[String]] = [["resource", "status", "pages", "rows", "requests", "retries", "seconds"]]
        for o in outcomes {
            lines.append([
                o.resource, o.status.rawValue, String(o.pages), String(o.totalRows), String(o.requests),
                String(o.retries), String(format: "%.2f", o.seconds),
            ])
        }
        var text = TextTable.render(lines)
        text +=
            "\n\(pipeline): \(totalRows) rows in \(String(format: "%.2f", seconds)) s, \(requests) requests (\(retries) retried), "
        text += "\(String(format: "%.1f", Double(bytes) / 1_048_576)) MB; load \(loadId) "
        text +=
            committed ? "committed to \(destination)" : "NOT committed (every resource failed; destination unchanged)"
        for o in outcomes {
            if let m = o.message { text += "\n  \(o.resource): \(m)" }
            for n in RepeatedNotes.fold(o.notes) { text += "\n  \(o.resource): \(n)" }
            for c in o.schemaChanges.prefix(10) { text += "\n  \(o.resource): schema: \(c)" }
            for c in o.checks {
                text += "\n  \(o.resource): check \(c.check) \(c.passed ? "passed" : c.severity): \(c.detail)"
            }
        }
        return text
    }

    /// The report as JSON, for machines.
    public func json() -> String {
        struct R: Encodable {
            let resource: String, status: String, pages: Int, rows: [String: Int], requests: Int, retries: Int
            let seconds: Double, message: String?, notes: [String], schema_changes: [String]
            let checks: [CheckResult]?
        }
        struct Report: Encodable {
            let pipeline: String, destination: String, load_id: String, committed: Bool, succeeded: Bool
            let seconds: Double, requests: Int, retries: Int, bytes: Int, rows: Int, resources: [R]
        }
        return LoadDetails.encode(
            Report(
                pipeline: pipeline, destination: destination, load_id: loadId, committed: committed,
                succeeded: succeeded, seconds: seconds, requests: requests, retries: retries, bytes: bytes,
                rows: totalRows,
                resources: outcomes.map {
                    R(
                        resource: $0.resource, status: $0.status.rawValue, pages: $0.pages, rows: $0.rows,
                        requests: $0.requests, retries: $0.retries, seconds: $0.seconds, message: $0.message,
                        notes: $0.notes, schema_changes: $0.schemaChanges, checks: $0.checks.isEmpty ? nil : $0.checks)
                }))
    }
}

/// Left-aligned text columns.
public enum TextTable {
    /// A header row, a rule under it, then the other rows.
    public static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = widths(rows)
        var out = aligned(rows)
        out.insert(widths.prefix(first.count).map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        return out.joined(separator: "\n")
    }

    /// The rows with each column padded to its widest cell; empty columns take no room.
    public static func aligned(_ rows: [[String]]) -> [String] {
        let widths = widths(rows)
        return rows.map { row in
            row.enumerated().filter { widths[$0.offset] > 0 }
                .map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingSpaces
        }
    }

    private static func widths(_ rows: [[String]]) -> [Int] {
        var widths = Array(repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return widths
    }
}
