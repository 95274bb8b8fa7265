import CSQLite
import ConnectorKit
import Foundation
import Testing

@testable import SQLiteDestination

/// SQLite stages a batch's rows several per statement (`StagingInsert`: groups of 16, then 4,
/// then 1). Whatever the number of rows, each must arrive once, whole, in batch order (merges
/// pick the newest row of a key by staged rowid), with nulls where a row is shorter than its
/// table; and no statement may bind more parameters than SQLite allows.
@Suite("SQLite staging insert")
struct StagingInsertTests {
    /// Rows `1...count`; from row `lateFrom(count)` on a column `late` appears, so earlier rows are shorter.
    static func records(_ count: Int, tag: String = "") -> String {
        let rows = (1...count).map { i in
            let late = i >= lateFrom(count) ? #","late":"L\#(i)""# : ""
            return #"{"id":\#(i),"v":"\#(tag)\#(String(repeating: "é", count: i % 7))\#(i)"\#(late)}"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    static func lateFrom(_ count: Int) -> Int { min(count, 6) }

    @Test("every row arrives once, whole, in order", arguments: [1, 3, 4, 5, 15, 16, 17, 20, 21, 37])
    func rowsArriveInOrder(_ count: Int) async throws {
        let h = try Harness(.sqlite)
        try await h.load(Self.records(count), disposition: .append)
        let rows = try await h.rows("SELECT id, v, late FROM t ORDER BY rowid")
        let expected: [[String?]] = (1...count).map { i in
            ["\(i)", String(repeating: "é", count: i % 7) + "\(i)", i >= Self.lateFrom(count) ? "L\(i)" : nil]
        }
        #expect(rows == expected)
    }

    @Test("a key staged twice in one batch keeps its later row", arguments: [5, 17, 21])
    func laterRowOfAKeyWins(_ count: Int) async throws {
        let h = try Harness(.sqlite)
        // Keys 1...count, then the same keys again, tagged: the tagged rows are the later ones.
        let first = Self.records(count), second = Self.records(count, tag: "b")
        let records = String(first.dropLast()) + "," + String(second.dropFirst())
        try await h.load(records, disposition: .merge, primaryKey: ["id"])
        let values = try await h.rows("SELECT v FROM t ORDER BY id").map { $0.first ?? nil }
        #expect(values.count == count)
        #expect(values.allSatisfy { $0?.hasPrefix("b") == true })
    }

    @Test("groups never bind more parameters than SQLite allows")
    func groupsFitTheParameterLimit() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("ATTACH DATABASE ':memory:' AS stg")
        let columns = (0..<5).map { Column(name: "c\($0)", type: .text) }
        try connection.execute("CREATE TABLE stg.t (c0, c1, c2, c3, c4)")
        // 5 columns: 16 rows would bind 80 parameters, 4 rows 20.
        sqlite3_limit(connection.handle, SQLITE_LIMIT_VARIABLE_NUMBER, 40)
        let insert = StagingInsert(connection: connection, table: "t", columns: columns)
        #expect(insert.groupSizes == [4, 1])
        let table = TableSchema(
            name: "t", columns: columns, parent: nil, root: "t", primaryKey: [], disposition: .append, resource: "r")
        let batch = RowBatch(table: table, rows: (0..<23).map { r in (0..<5).map { .text("r\(r)c\($0)") } })
        try insert.insert([StagedBatch(batch, itemOrder: 0)], at: [0])
        let rows = try connection.rows("SELECT c0, c4 FROM stg.t ORDER BY rowid").rows
        #expect(rows.count == 23)
        #expect(rows.first == ["r0c0", "r0c4"])
        #expect(rows.last == ["r22c0", "r22c4"])
    }

    /// Statements are reused without clearing their bindings, so each run binds every parameter:
    /// after a group that filled every column, rows that end early and a batch that lacks
    /// columns must stage NULL there, not the earlier group's values.
    @Test("no value of an earlier group stays bound")
    func noStaleBindings() throws {
        let (connection, columns, insert) = try Self.threeColumns()
        func table(_ names: [Column]) -> TableSchema {
            TableSchema(
                name: "t", columns: names, parent: nil, root: "t", primaryKey: [], disposition: .append, resource: "r")
        }
        let full = RowBatch(table: table(columns), rows: (0..<16).map { r in (0..<3).map { .text("full\(r)c\($0)") } })
        try insert.insert([StagedBatch(full, itemOrder: 0)], at: [0])
        // Rows with c0 only (they end early), then a batch of c2 alone (c0 and c1 lacking).
        let short = RowBatch(table: table(columns), rows: (0..<16).map { r in [.text("short\(r)")] })
        try insert.insert([StagedBatch(short, itemOrder: 0)], at: [0])
        let narrow = RowBatch(table: table([columns[2]]), rows: (0..<16).map { r in [.text("narrow\(r)")] })
        try insert.insert([StagedBatch(narrow, itemOrder: 0)], at: [0])
        // Columns in another order than the table's (a resumed load's staged table) go by name.
        let reordered = RowBatch(table: table([columns[2], columns[0]]), rows: [[.text("x2"), .text("x0")]])
        try insert.insert([StagedBatch(reordered, itemOrder: 0)], at: [0])
        try insert.insert([StagedBatch(full, itemOrder: 0)], at: [0])
        let rows = try connection.rows("SELECT c0, c1, c2 FROM stg.t ORDER BY rowid").rows
        #expect(rows.count == 65)
        #expect(rows[48] == ["x0", nil, "x2"])
        #expect(rows[49] == ["full0c0", "full0c1", "full0c2"])
        #expect(rows[15] == ["full15c0", "full15c1", "full15c2"])
        #expect(rows[16..<32].allSatisfy { $0[1] == nil && $0[2] == nil && $0[0]?.hasPrefix("short") == true })
        #expect(rows[32..<48].allSatisfy { $0[0] == nil && $0[1] == nil && $0[2]?.hasPrefix("narrow") == true })
    }

    /// A write's batches of one table go as one stream: a statement's group may take rows from
    /// several batches (small pages, one per parent record), each bound by its own columns.
    @Test("a group takes rows from several batches, each by its own columns, in the order given")
    func groupsSpanBatches() throws {
        let (connection, columns, insert) = try Self.threeColumns()
        func batch(_ tag: String, _ count: Int, _ names: [Column]) -> StagedBatch {
            let table = TableSchema(
                name: "t", columns: names, parent: nil, root: "t", primaryKey: [], disposition: .append, resource: "r")
            let rows: [[Value]] = (0..<count).map { r in names.map { .text("\(tag)\(r)\($0.name)") } }
            return StagedBatch(RowBatch(table: table, rows: rows), itemOrder: 0)
        }
        // 3 + 5 + 1 + 9 + 2 = 20 rows: one group of 16 across four batches, then a group of 4.
        let batches = [
            batch("a", 3, columns), batch("b", 5, [columns[2], columns[0]]), batch("x", 4, columns),
            batch("c", 1, [columns[1]]), batch("d", 9, columns), batch("e", 2, [columns[0]]),
        ]
        try insert.insert(batches, at: [0, 1, 3, 4, 5])  // "x" is another table's, say: not inserted
        let rows = try connection.rows("SELECT c0, c1, c2 FROM stg.t ORDER BY rowid").rows
        var expected: [[String?]] = []
        expected += (0..<3).map { r in ["a\(r)c0", "a\(r)c1", "a\(r)c2"] }
        expected += (0..<5).map { r in ["b\(r)c0", nil, "b\(r)c2"] }
        expected += [[nil, "c0c1", nil]]
        expected += (0..<9).map { r in ["d\(r)c0", "d\(r)c1", "d\(r)c2"] }
        expected += (0..<2).map { r in ["e\(r)c0", nil, nil] }
        #expect(rows == expected)
    }

    /// A staged table `t (c0, c1, c2)` in memory, its columns, and an insert into it.
    static func threeColumns() throws -> (SQLiteConnection, [Column], StagingInsert) {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("ATTACH DATABASE ':memory:' AS stg")
        try connection.execute("CREATE TABLE stg.t (c0, c1, c2)")
        let columns = (0..<3).map { Column(name: "c\($0)", type: .text) }
        return (connection, columns, StagingInsert(connection: connection, table: "t", columns: columns))
    }
}
