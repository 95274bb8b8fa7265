@testable import ConnectorKit
import Foundation
import Testing

/// A batch keeps its rows' cells in one buffer: rows of any width (shorter ones read null past
/// their end) must come back as they went in, whether read as arrays, in place, or after merging.
@Suite("Row batch storage")
struct RowBatchTests {
    static let table = TableSchema(
        name: "t", columns: [Column(name: "a", type: .bigint), Column(name: "b", type: .text)], parent: nil,
        root: "t", primaryKey: [], disposition: .append, resource: "t")
    static let rows: [[Value]] = [
        [.int(1), .text("one")], [], [.int(3)], [.null, .text(String(repeating: "x", count: 40))],
    ]

    @Test("rows read as arrays, in place and by row view are the rows given")
    func readBack() {
        let batch = RowBatch(table: Self.table, rows: Self.rows)
        #expect(batch.count == 4)
        #expect(batch.rows == Self.rows)
        var seen: [[Value]] = []
        batch.forEachRow { row, arena in seen.append(row.map { $0.value(in: arena) }) }
        #expect(seen == Self.rows)
        #expect((0..<batch.count).map { Array(batch.row($0)) } == Self.rows)
        #expect(batch.row(2)[column: 1] == .null)
        #expect(batch.row(3)[column: 1] == Self.rows[3][1])
    }

    @Test("appending a batch keeps both batches' rows in order")
    func appendBatch() {
        var batch = RowBatch(table: Self.table, rows: Array(Self.rows.prefix(2)))
        batch.append(contentsOf: RowBatch(table: Self.table, rows: Array(Self.rows.dropFirst(2))))
        #expect(batch.rows == Self.rows)
        batch.rows = [[.int(9)]]
        #expect(batch.count == 1 && batch.rows == [[.int(9)]])
    }

    static let texts = ["", "short", String(repeating: "long text ", count: 5), "quote \" and\nline", "é ✓ 😀"]

    @Test("text read from JSON into a batch's arena reads back as the strings, also after batches merge")
    func arenaText() throws {
        let n = RecordNormalizer(loadId: "L1", maxNesting: 6)
        n.declareRoot("t", primaryKey: ["k"], disposition: .merge, resource: "t")
        let parser = JSONParser()
        var batches: [RowBatch] = []
        for (i, text) in Self.texts.enumerated() {
            let record = try JSONEncoder().encode(["k": "key \(i) of a longish primary key", "s": text])
            try n.add(parser.parse(Array(record)), to: "t", extras: [])
            batches += n.takeBatches()
        }
        var merged = try #require(batches.first)
        for batch in batches.dropFirst() { merged.append(contentsOf: batch) }
        let s = try #require(merged.table.columns.firstIndex { $0.name == "s" })
        let k = try #require(merged.table.columns.firstIndex { $0.name == "k" })
        let id = try #require(merged.table.columns.firstIndex { $0.name == SystemColumn.id })
        #expect(merged.rows.map { $0[s] } == Self.texts.map(Value.text))
        for (i, row) in merged.rows.enumerated() {
            let key = "key \(i) of a longish primary key"
            #expect(row[k] == .text(key))
            #expect(
                row[id] == .text(StableID.make(["t", key])), "the id hashes the key's bytes as it hashed its string")
        }
    }
}
