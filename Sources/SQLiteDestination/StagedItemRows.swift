import ConnectorKit

/// Which work item each staged row of a merged table came from, as runs of rowids: staged tables
/// only ever append, so a batch's rows have consecutive rowids. A run `[first, last, item, step]`
/// says row `r` in `first...last` came from item `item + step × (r − first)`, the item being the
/// batch's place in the resource's order (`StagedBatch.itemOrder`): step 0 is one item's rows,
/// step 1 a row per item of consecutive items (a child resource's item per parent record), so
/// a write notes a few runs, not a range per batch. Each `write` adds, per merged table, one row
/// `(tbl, runs)` with `runs` a JSON array of those quadruples.
/// Keeping the item order out of the staged table gives it exactly the columns it publishes, so
/// SQLite copies its records as they are (its transfer optimization) when a first load publishes
/// it; only a load that staged a key twice reads the runs.
struct StagedItemRows {
    static let table = "_connector_item_rows"
    /// The staged rowid's name in `source(_:)`.
    static let row = "_stg_row"

    /// Per table, `[first, last, item, step]` quadruples, flat.
    private var runs: [String: [Int64]] = [:]

    /// Notes the runs of one table's rows: `body` adds `(first, last, item)` triples, each saying the
    /// rows `first...last` came from item `item`; the table is looked up once for all of them (a write
    /// stages thousands of one-record batches of a table).
    mutating func add(_ table: String, _ body: (_ add: (Int64, Int64, Int) -> Void) -> Void) {
        var tableRuns = runs.removeValue(forKey: table) ?? []
        body { first, last, item in Self.add(first, last, Int64(item), to: &tableRuns) }
        if !tableRuns.isEmpty { runs[table] = tableRuns }
    }

    /// Extends the last run when the new rows continue it, else starts a run.
    private static func add(_ first: Int64, _ last: Int64, _ item: Int64, to runs: inout [Int64]) {
        let n = runs.count
        if n >= 4, runs[n - 3] + 1 == first {
            let runFirst = runs[n - 4], runLast = runs[n - 3], runItem = runs[n - 2], step = runs[n - 1]
            if step == 0, runItem == item {
                runs[n - 3] = last
                return
            }
            let nextItem = runItem + (step == 0 ? 1 : first - runFirst)
            if first == last, nextItem == item, step == 1 || runFirst == runLast {
                runs[n - 3] = last
                runs[n - 1] = 1
                return
            }
        }
        runs.append(first)
        runs.append(last)
        runs.append(item)
        runs.append(0)
    }

    /// The statement `save` takes.
    static let insertSQL = "INSERT INTO stg.\(table) (tbl, runs) VALUES (?, ?)"

    /// Writes the runs noted since the last call with `insert` (`insertSQL`), inside the
    /// caller's transaction, and forgets them.
    mutating func save(with insert: SQLiteStatement) throws {
        defer { runs.removeAll(keepingCapacity: true) }
        for (table, json) in encoded {
            insert.bind(1, table)
            insert.bind(2, json)
            try insert.run()
        }
    }

    /// The runs noted so far, per table, as `save` writes them.
    var encoded: [String: String] { runs.mapValues(Self.json) }

    /// `[[a,b,c,d],[e,f,g,h],…]`, written digit by digit.
    static func json(_ quadruples: [Int64]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(quadruples.count * 8 + 2)
        for start in stride(from: 0, to: quadruples.count - 3, by: 4) {
            if start > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            for (i, value) in quadruples[start..<start + 4].enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                appendDecimal(value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Most significant digit first, so nothing is reversed afterwards (reversing a slice of
    /// `bytes` cost a retain and a release per number).
    private static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var unit: UInt64 = 1
        while unit <= magnitude / 10 { unit *= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude / unit))
            magnitude %= unit
            unit /= 10
        } while unit > 0
    }

    mutating func discard() { runs.removeAll(keepingCapacity: true) }

    /// The staged rows of `table` with their rowid (`row`) and item order
    /// (`StagingColumn.itemOrder`), as a subquery to select from.
    static func source(_ table: String) -> String {
        let literal = "'" + table.replacingOccurrences(of: "'", with: "''") + "'"
        let runs =
            "SELECT json_extract(j.value, '$[0]') AS first_rowid, json_extract(j.value, '$[1]') AS last_rowid,"
            + " json_extract(j.value, '$[2]') AS item, json_extract(j.value, '$[3]') AS step"
            + " FROM stg.\(Self.table) r, json_each(r.runs) j WHERE r.tbl = \(literal)"
        let item = "g.item + g.step * (t.rowid - g.first_rowid)"
        return "(SELECT t.*, t.rowid AS \(row), \(item) AS \(quoted(StagingColumn.itemOrder))"
            + " FROM (\(runs)) g CROSS JOIN stg.\(quoted(table)) t ON t.rowid BETWEEN g.first_rowid AND g.last_rowid)"
    }
}
