import ConnectorKit
import Testing

/// A batch keeps its rows' cells in one buffer: rows of any width (shorter ones read null past
/// their end) must come back as they went in, whether read as arrays, in place, or after merging.
@Suite("Row batch storage")
struct RowBatchTests {
    static let table = TableSchema(
        name: "t", columns: [Column(name: "a", type: .bigint), Column(name: "b", type: .text)], parent: nil,
        root: "t", primaryKey: [], disposition: .append, resource: "t")
    static let rows: [[Value]] = [[.int(1), .text("one")], [], [.int(3)], [.null, .text(String(repeating: "x", count: 40))]]

    @Test("rows read as arrays, in place and by row view are the rows given")
    func readBack() {
        let batch = RowBatch(table: Self.table, rows: Self.rows)
        #expect(batch.count == 4)
        #expect(batch.rows == Self.rows)
        var seen: [[Value]] = []
        batch.forEachRow { seen.append(Array($0)) }
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
}
