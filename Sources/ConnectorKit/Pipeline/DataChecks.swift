import CivilTime
import Foundation

/// What a resource's checks measure, gathered while it ran.
struct CheckInputs {
    /// Root rows staged by this load.
    var rootRows: Int
    /// Root rows of the previous load that wrote the resource's root tables (nil: none).
    var previousRows: Int?
    var duplicateKeys = 0
    var firstDuplicate: String?
    var nulls: [String: Int] = [:]
    /// Cursor reached per work item.
    var cursors: [String: String] = [:]
    var apiTotal: (total: Int, missing: [String])?
    /// True when an interrupted run read part of this load: pages it read are not seen again.
    var resumed = false
    /// Now, in seconds since 1970.
    var now: Double = Date().timeIntervalSince1970
}

/// Evaluates `checks:` on what a resource staged. Pure: the inputs are gathered by the runner.
enum DataChecks {
    static func evaluate(_ checks: [CheckSpec], _ inputs: CheckInputs) -> [CheckResult] {
        checks.map { check in
            let (passed, detail) = measure(check, inputs)
            return CheckResult(
                check: check.kind.rawValue, severity: check.severity.rawValue, passed: passed, detail: detail)
        }
    }

    private static func measure(_ check: CheckSpec, _ i: CheckInputs) -> (Bool, String) {
        switch check.kind {
        case .notEmpty:
            return (i.rootRows > 0, "\(i.rootRows) rows staged")
        case .rowCountMatches:
            if i.resumed { return (true, "not compared: a resumed load, whose earlier pages' totals were not seen") }
            guard let api = i.apiTotal, api.missing.isEmpty else {
                let missing = i.apiTotal?.missing.joined(separator: ", ") ?? "every work item"
                return (false, "no total at '\(check.totalPath ?? "")' in the first page of \(missing)")
            }
            return (api.total == i.rootRows, "\(i.rootRows) rows staged, the API reported \(api.total)")
        case .maxChange:
            let limit = check.percent ?? 0
            guard let previous = i.previousRows, previous > 0 else {
                return (true, "\(i.rootRows) rows staged; no earlier load with rows to compare")
            }
            let change = abs(Double(i.rootRows - previous)) / Double(previous) * 100
            let text = String(format: "%.1f", change)
            return (change <= limit, "\(i.rootRows) rows staged, previous load \(previous): \(text)% (limit \(limit)%)")
        case .unique:
            let example = i.firstDuplicate.map { ", e.g. (\($0))" } ?? ""
            return (i.duplicateKeys == 0, "\(i.duplicateKeys) rows repeat a primary key\(example)")
        case .notNull:
            let found = check.columns.filter { (i.nulls[$0] ?? 0) > 0 }
            if found.isEmpty { return (true, "no nulls in \(check.columns.joined(separator: ", "))") }
            return (false, found.map { "\($0): \(i.nulls[$0] ?? 0) nulls" }.joined(separator: ", "))
        case .freshness:
            return freshness(check, i)
        }
    }

    private static func freshness(_ check: CheckSpec, _ i: CheckInputs) -> (Bool, String) {
        let instants = i.cursors.values.compactMap { Timestamps.parse($0) }
        guard let newest = instants.max(),
            let cursor = i.cursors.values.first(where: { Timestamps.parse($0) == newest })
        else { return (false, "no timestamp cursor was reached") }
        let age = i.now - Double(newest)
        let limit = check.maxAgeSeconds ?? 0
        return (age <= limit, "newest cursor \(cursor) is \(Int(age / 3600)) h old (limit \(Int(limit / 3600)) h)")
    }
}

/// Rows per table of the newest succeeded load record that wrote each table, for `max_change`.
enum PreviousLoads {
    /// Read only when one of `resources` has a `max_change` check.
    static func rows(_ destination: any Destination, pipeline: String, for resources: [ResourceSpec]) async
        -> [String: Int]
    {
        guard resources.contains(where: { $0.checks.contains { $0.kind == .maxChange } }),
            let dataset = try? await destination.openDataset(pipeline: pipeline)
        else { return [:] }
        defer { Task { await dataset.close() } }
        let sql = """
            SELECT details FROM \(BookkeepingTable.loads) WHERE pipeline = '\(pipeline.replacingOccurrences(of: "'", with: "''"))'
            ORDER BY finished_at DESC LIMIT 50
            """
        guard let result = try? await dataset.query(sql) else { return [:] }
        var out: [String: Int] = [:]
        for row in result.rows {
            guard let text = row.first ?? nil,
                let details = try? JSONDecoder().decode([LoadDetails.ResourceDetail].self, from: Data(text.utf8))
            else { continue }
            for detail in details where detail.status == "succeeded" {
                for (table, count) in detail.rows where out[table] == nil { out[table] = count }
            }
        }
        return out
    }
}
