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
        try insert.insert(batch)
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
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("ATTACH DATABASE ':memory:' AS stg")
        try connection.execute("CREATE TABLE stg.t (c0, c1, c2)")
        let columns = (0..<3).map { Column(name: "c\($0)", type: .text) }
        let insert = StagingInsert(connection: connection, table: "t", columns: columns)
        func table(_ names: [Column]) -> TableSchema {
            TableSchema(
                name: "t", columns: names, parent: nil, root: "t", primaryKey: [], disposition: .append, resource: "r")
        }
        let full = RowBatch(table: table(columns), rows: (0..<16).map { r in (0..<3).map { .text("full\(r)c\($0)") } })
        try insert.insert(full)
        // Rows with c0 only (they end early), then a batch of c2 alone (c0 and c1 lacking).
        let short = RowBatch(table: table(columns), rows: (0..<16).map { r in [.text("short\(r)")] })
        try insert.insert(short)
        let narrow = RowBatch(table: table([columns[2]]), rows: (0..<16).map { r in [.text("narrow\(r)")] })
        try insert.insert(narrow)
        // Columns in another order than the table's (a resumed load's staged table) go by name.
        let reordered = RowBatch(table: table([columns[2], columns[0]]), rows: [[.text("x2"), .text("x0")]])
        try insert.insert(reordered)
        try insert.insert(full)
        let rows = try connection.rows("SELECT c0, c1, c2 FROM stg.t ORDER BY rowid").rows
        #expect(rows.count == 65)
        #expect(rows[48] == ["x0", nil, "x2"])
        #expect(rows[49] == ["full0c0", "full0c1", "full0c2"])
        #expect(rows[15] == ["full15c0", "full15c1", "full15c2"])
        #expect(rows[16..<32].allSatisfy { $0[1] == nil && $0[2] == nil && $0[0]?.hasPrefix("short") == true })
        #expect(rows[32..<48].allSatisfy { $0[0] == nil && $0[1] == nil && $0[2]?.hasPrefix("narrow") == true })
    }
}
