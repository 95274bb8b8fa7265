import ConnectorKit
import Foundation
import Testing

@testable import SQLiteDestination

/// A merged table's staged rows keep their work item's order outside the staged table, as runs
/// of rowids (`StagedItemRows`), so the staged table has the published columns (SQLite's transfer
/// optimization copies its records as they are) and the newest row per key still follows the
/// item order.
@Suite("SQLite staged item rows")
struct StagedItemRowsTests {
    @Test(
        "batches become runs: one item's rows, a row per consecutive item, anything else a new run",
        arguments: [
            ([(1, 3, 7), (4, 5, 7)], "[[1,5,7,0]]"),
            ([(1, 1, 3), (2, 2, 4), (3, 3, 5)], "[[1,3,3,1]]"),
            ([(1, 1, 3), (2, 2, 4), (3, 4, 5)], "[[1,2,3,1],[3,4,5,0]]"),
            ([(1, 2, 3), (3, 3, 4)], "[[1,2,3,0],[3,3,4,0]]"),
            ([(1, 1, 5), (2, 2, 4)], "[[1,1,5,0],[2,2,4,0]]"),
            ([(1, 1, 3), (5, 5, 4)], "[[1,1,3,0],[5,5,4,0]]"),
            ([(1, 1, 3), (2, 2, 4), (3, 3, 4)], "[[1,2,3,1],[3,3,4,0]]"),
        ] as [([(Int64, Int64, Int)], String)])
    func runs(_ batches: [(Int64, Int64, Int)], _ expected: String) {
        var rows = StagedItemRows()
        rows.add("t") { add in
            for (first, last, item) in batches { add(first, last, item) }
        }
        #expect(rows.encoded == ["t": expected])
    }

    @Test("rowids and items are written in decimal, whatever their number of digits")
    func decimals() {
        #expect(StagedItemRows.json([0, 9, 10, 99]) == "[[0,9,10,99]]")
        #expect(
            StagedItemRows.json([100, 1_000_000_007, .max, .min])
                == "[[100,1000000007,9223372036854775807,-9223372036854775808]]")
    }

    @Test(
        "the newest row per key and its children follow the item order, however the items' rows were staged",
        arguments: [
            ([1, 2, 3], "3"), ([3, 1, 2], "3"), ([2, 3, 1], "3"), ([1, 2, 2], "2b"), ([5, 4, 6, 6], "6b"),
        ])
    func newestByItem(_ items: [Int], _ winner: String) async throws {
        let h = try Harness(.sqlite)
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "L")
        _ = try await session.prepareStaging(fingerprint: "F")
        // One write, one single-record batch per item, as a child resource's items arrive; the
        // second record of an item repeated in `items` is that item's later one ("b").
        var seen: Set<Int> = []
        var batches: [StagedBatch] = []
        var tables: [TableSchema] = []
        for item in items {
            let v = seen.insert(item).inserted ? "\(item)" : "\(item)b"
            let (staged, schemas) = try Self.normalize(#"[{"id":1,"v":"\#(v)","tags":["\#(v)"]}]"#, item: item)
            batches += staged
            tables = schemas
        }
        try await session.write(batches, checkpoint: Self.checkpoint(tables))
        try await session.commit(Self.summary(tables, pipeline: h.pipeline))
        #expect(try await h.rows("SELECT v FROM t") == [[winner]])
        #expect(try await h.rows("SELECT value FROM t__tags") == [[winner]])
    }

    @Test("a write whose later batch of a table brings a new column stages every row, each item's rows its own run")
    func newColumnMidWrite() async throws {
        let h = try Harness(.sqlite)
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "L")
        _ = try await session.prepareStaging(fingerprint: "F")
        let (first, _) = try Self.normalize(#"[{"id":1,"v":"a"},{"id":2,"v":"a"}]"#, item: 2)
        let (second, tables) = try Self.normalize(#"[{"id":2,"v":"b","w":"x"},{"id":3,"v":"b","w":"y"}]"#, item: 1)
        let (third, _) = try Self.normalize(#"[{"id":4,"v":"c"}]"#, item: 3)
        try await session.write(first + second + third, checkpoint: Self.checkpoint(tables))
        try await session.commit(Self.summary(tables, pipeline: h.pipeline))
        // Key 2 staged by items 2 and 1: item 2 is later in the item order, so its row wins.
        let rows = try await h.rows("SELECT id, v, w FROM t ORDER BY id")
        #expect(rows == [["1", "a", nil], ["2", "a", nil], ["3", "b", "y"], ["4", "c", nil]])
    }

    @Test("a staged merged table has exactly the columns it publishes")
    func stagedColumnsArePublished() async throws {
        let h = try Harness(.sqlite)
        let (session, tables, scratch) = try await Self.stageOneRow(h)
        let staged = try scratch.rows("SELECT name FROM pragma_table_info('t')").rows
        #expect(staged.map { $0[0] } == tables[0].columns.map(\.name))
        await session.abort()
    }

    @Test("a scratch database of the earlier layout (item order in a column) is not resumed: the load starts over")
    func earlierLayoutStartsOver() async throws {
        let h = try Harness(.sqlite)
        let (first, _, scratch) = try await Self.stageOneRow(h)
        // What the earlier version left: no layout mark in the resume metadata.
        try scratch.execute("DELETE FROM \(SQLiteResumeStore.meta) WHERE key = 'format'")
        await first.simulateCrash()
        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "second")
        #expect(try await second.prepareStaging(fingerprint: "F") == nil)
        await second.abort()
    }

    /// A load that staged one merged row, its tables, and a connection of its own to the scratch file.
    static func stageOneRow(_ h: Harness) async throws -> (SQLiteLoadSession, [TableSchema], SQLiteConnection) {
        let session = try #require(
            try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "first") as? SQLiteLoadSession)
        _ = try await session.prepareStaging(fingerprint: "F")
        let (batches, tables) = try normalize(#"[{"id":1,"v":"a"}]"#, item: 4)
        try await session.write(batches, checkpoint: checkpoint(tables))
        return (session, tables, try SQLiteConnection(path: await session.stagingPath))
    }

    static func normalize(_ records: String, item: Int) throws -> ([StagedBatch], [TableSchema]) {
        let normalizer = RecordNormalizer(loadId: "L", maxNesting: 6)
        normalizer.declareRoot("t", primaryKey: ["id"], disposition: .merge, resource: "r")
        let parser = JSONParser()
        try withExtendedLifetime(parser) {
            for record in try parser.parse(Array(records.utf8)).elements {
                try normalizer.add(record, to: "t", extras: [])
            }
        }
        return (normalizer.takeBatches().map { StagedBatch($0, itemOrder: item) }, normalizer.schemas)
    }

    static func checkpoint(_ tables: [TableSchema]) -> Checkpoint {
        Checkpoint(
            resource: "r", progress: ResourceProgress(tables: tables, rows: [:], pages: 1), items: [:], parentRows: [])
    }

    static func summary(_ tables: [TableSchema], pipeline: String) -> LoadSummary {
        var report = ResourceReport(resource: "r", status: .succeeded)
        report.rows = [:]
        let root = RootTable(name: "t", disposition: .merge, primaryKey: ["id"])
        return LoadSummary(
            loadId: "L", pipeline: pipeline, startedAt: "s", finishedAt: "f", reports: [report],
            publications: [ResourcePublication(resource: "r", tables: tables, roots: [root])])
    }
}
