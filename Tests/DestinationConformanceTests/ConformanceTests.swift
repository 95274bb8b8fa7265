import ConnectorKit
import FileDestination
import Foundation
@_spi(Testing) import ConnectorKit
@testable import PostgresDestination
@testable import SQLiteDestination
import Testing

/// The destinations every scenario runs against. PostgreSQL needs CONNECTOR_POSTGRES_URL,
/// which scripts/test provides by starting a throwaway server.
enum DestinationKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] }

    static var available: [DestinationKind] {
        if postgresURL == nil {
            print(
                "⚠️  CONNECTOR_POSTGRES_URL is not set: the PostgreSQL conformance tests are SKIPPED. Run scripts/test to include them."
            )
            return [.sqlite]
        }
        return allCases
    }

    func make() throws -> any Destination {
        switch self {
        case .sqlite:
            let dir = NSTemporaryDirectory() + "connector-conformance-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            return SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        case .postgres:
            return try PostgresDestination(url: Self.postgresURL ?? "", dataset: "{pipeline}")
        }
    }
}

/// One scenario's destination and dataset, with helpers to load and to look.
struct Harness {
    let destination: any Destination
    let pipeline = "conf_" + UUID().uuidString.prefix(8).lowercased()

    init(_ kind: DestinationKind) throws {
        destination = try kind.make()
    }

    init(destination: any Destination) throws {
        self.destination = destination
    }

    /// One load of `records` (JSON array text) into table `t` of resource `r`; `staged` runs
    /// after the rows are staged, before the commit.
    func load(
        _ records: String, disposition: WriteDisposition, primaryKey: [String] = [], fail: Bool = false,
        state: ResourceState = ResourceState(), contract: SchemaContract = .evolve, retention: RetentionRule? = nil,
        columns: [String: DataType] = [:], staged: () async throws -> Void = {}
    ) async throws {
        let loadId = UUID().uuidString
        let session = try await destination.beginLoad(pipeline: pipeline, loadId: loadId)
        let normalizer = RecordNormalizer(
            loadId: loadId, maxNesting: 6, existing: try await session.existingTables(), contract: contract)
        normalizer.declareRoot("t", primaryKey: primaryKey, disposition: disposition, resource: "r", columns: columns)
        let parser = JSONParser()
        do {
            for record in try parser.parse(Array(records.utf8)).elements {
                try normalizer.add(record, to: "t", extras: [])
            }
        } catch {
            await session.abort()  // a session always ends in commit or abort
            throw error
        }
        do {
            try await Self.write(normalizer.takeBatches(), to: session)
            try await staged()
        } catch {
            await session.abort()
            throw error
        }
        var report = ResourceReport(resource: "r", status: fail ? .failed : .succeeded)
        report.rows = normalizer.rowCounts
        let publication = ResourcePublication(
            resource: "r", tables: normalizer.schemas,
            roots: [RootTable(name: "t", disposition: disposition, primaryKey: primaryKey)],
            retention: retention, state: StateChange(updates: state))
        let other = ResourceReport(resource: "other", status: .succeeded)
        // As the engine does when a resource is done staging (PostgreSQL builds key indexes then).
        if !fail { await session.stagingFinished(publication) }
        try await session.commit(
            LoadSummary(
                loadId: loadId, pipeline: pipeline, startedAt: "s", finishedAt: "f", reports: [report, other],
                publications: [publication, ResourcePublication(resource: "other")]))
    }

    /// Stages rows of one work item, with a checkpoint that records nothing.
    static func write(_ batches: [RowBatch], to session: any LoadSession) async throws {
        try await session.write(
            batches.map { StagedBatch($0, itemOrder: 0) },
            checkpoint: Checkpoint(resource: "r", progress: ResourceProgress(), items: [:], parentRows: []))
    }

    func rows(_ sql: String) async throws -> [[String?]] {
        let dataset = try await destination.openDataset(pipeline: pipeline)
        defer { Task { await dataset.close() } }
        return try await dataset.query(sql).rows
    }

    func count(_ table: String) async throws -> Int {
        Int(try await rows("SELECT count(*) FROM \(table)").first?.first.flatMap { $0 } ?? "-1") ?? -1
    }

    /// The latest recorded columns of a table.
    func recordedColumns(_ table: String) async throws -> String {
        try await rows(
            "SELECT columns FROM _connector_schema WHERE table_name = '\(table)' ORDER BY version DESC LIMIT 1"
        ).first?.first.flatMap { $0 } ?? ""
    }
}

/// One set of scenarios, run against every destination.
@Suite("Destination conformance")
struct ConformanceTests {
    @Test("append adds, replace swaps, both with child tables", arguments: DestinationKind.available)
    func appendAndReplace(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1,"tags":["a","b"]},{"id":2,"tags":["c"]}]"#, disposition: .append)
        try await h.load(#"[{"id":3,"tags":[]}]"#, disposition: .append)
        #expect(try await h.count("t") == 3)
        #expect(try await h.count("t__tags") == 3)
        try await h.load(#"[{"id":9,"tags":["z"]}]"#, disposition: .replace)
        #expect(try await h.rows("SELECT id FROM t") == [["9"]])
        #expect(try await h.rows("SELECT value FROM t__tags") == [["z"]])
    }

    @Test(
        "merge upserts on the key, de-duplicates within a run and replaces merged parents' children",
        arguments: DestinationKind.available)
    func merge(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(
            #"[{"id":1,"v":"a","tags":["x","y"]},{"id":2,"v":"b","tags":["q"]}]"#, disposition: .merge,
            primaryKey: ["id"])
        // Key 3 twice in one load: the newest record wins, and only its children stay.
        try await h.load(
            #"[{"id":1,"v":"a2","tags":["x2"]},{"id":3,"v":"c","tags":["c-old"]},{"id":3,"v":"c2","tags":["c-new"]}]"#,
            disposition: .merge, primaryKey: ["id"])
        #expect(try await h.rows("SELECT id, v FROM t ORDER BY id") == [["1", "a2"], ["2", "b"], ["3", "c2"]])
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == [["c-new"], ["q"], ["x2"]])
        // No repeated key: children are copied as staged.
        try await h.load(#"[{"id":4,"v":"d","tags":["d1","d2"]}]"#, disposition: .merge, primaryKey: ["id"])
        #expect(try await h.count("t__tags") == 5)
    }

    @Test(
        "numbers beyond int64 and double load exactly into decimal columns, and merge on their exact value",
        arguments: DestinationKind.available)
    func exactNumbers(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        // As doubles, both ids would be 1.8446744073709552e19: one row, or a failed merge.
        try await h.load(
            #"[{"id":18446744073709551616,"amount":0.1000000000000000055511151231257827,"ref":1},"#
                + #"{"id":18446744073709551617,"amount":1.5,"ref":18446744073709551615}]"#,
            disposition: .merge, primaryKey: ["id"], columns: ["ref": .text])
        try await h.load(
            #"[{"id":18446744073709551617,"amount":2.25,"ref":"x"}]"#, disposition: .merge, primaryKey: ["id"],
            columns: ["ref": .text])
        #expect(
            try await h.rows("SELECT CAST(id AS TEXT), CAST(amount AS TEXT), ref FROM t ORDER BY id")
                == [
                    ["18446744073709551616", "0.1000000000000000055511151231257827", "1"],
                    ["18446744073709551617", "2.25", "x"],
                ])
        #expect(
            try await h.rows("SELECT id FROM t ORDER BY id") == [["18446744073709551616"], ["18446744073709551617"]])
        try await h.load(#"[{"id":5,"big":1e400}]"#, disposition: .merge, primaryKey: ["id"])
        let big = try await h.rows("SELECT CAST(big AS TEXT) FROM t WHERE big IS NOT NULL").first?.first ?? nil
        #expect(big == (kind == .postgres ? "1" + String(repeating: "0", count: 400) : "1e400"))
        let columns = try await h.recordedColumns("t")
        for name in ["id", "amount", "big"] {
            #expect(columns.contains(#"{"name":"\#(name)","type":"decimal"}"#), "\(columns)")
        }
    }

    @Test("new fields add columns; the schema is versioned", arguments: DestinationKind.available)
    func evolution(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1}]"#, disposition: .append)
        try await h.load(#"[{"id":2,"extra":"e","n":5}]"#, disposition: .append)
        #expect(try await h.rows("SELECT id, extra, n FROM t ORDER BY id") == [["1", nil, nil], ["2", "e", "5"]])
        #expect(try await h.rows("SELECT max(version) FROM _connector_schema WHERE table_name = 't'") == [["2"]])
    }

    @Test(
        "a failed resource leaves no rows and no state; the load is recorded as partial",
        arguments: DestinationKind.available)
    func failedResource(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1}]"#, disposition: .append, state: ResourceState(cursors: ["": "1"]))
        try await h.load(#"[{"id":2}]"#, disposition: .append, fail: true, state: ResourceState(cursors: ["": "2"]))
        #expect(try await h.rows("SELECT id FROM t") == [["1"]])
        #expect(try await h.rows("SELECT value FROM _connector_state WHERE resource = 'r'") == [["1"]])
        #expect(
            try await h.rows("SELECT status FROM _connector_loads ORDER BY status DESC") == [
                ["succeeded"], ["partial"],
            ])
    }

    @Test(
        "state rows an earlier version stored read as typed state; state is stored in that form",
        arguments: DestinationKind.available)
    func storedState(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1}]"#, disposition: .append)
        let old = [
            ("cursor", "2026-01-01T00:00:00Z"), ("cursor:region=eu", "17"), ("job:region=eu", "job-000001"),
            ("legacy", "x"),
        ]
        for (key, value) in old {
            _ = try await h.rows(
                "INSERT INTO _connector_state (pipeline, resource, key, value) "
                    + "VALUES ('\(h.pipeline)', 'r', '\(key)', '\(value)')")
        }
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "x")
        #expect(
            try await session.state(resource: "r")
                == ResourceState(
                    cursors: ["": "2026-01-01T00:00:00Z", "region=eu": "17"],
                    jobs: ["region=eu": "job-000001"],
                    unrecognized: ["legacy": "x"]))
        try await session.saveState(
            StateChange(updates: ResourceState(jobs: ["region=us": "job-000002"]), removals: [.job("region=eu")]),
            resource: "r")
        await session.abort()
        #expect(
            try await h.rows("SELECT key, value FROM _connector_state WHERE resource = 'r' AND key LIKE 'job%'")
                == [["job:region=us", "job-000002"]])
    }

    @Test(
        "a second run of the same pipeline is refused while one is loading; the next one may go",
        arguments: DestinationKind.available)
    func oneRunAtATime(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let first = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "a")
        let refused = await #expect(throws: (any Error).self) {
            try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "b")
        }
        #expect(String(describing: refused).contains("another run of pipeline '\(h.pipeline)'"))
        await first.abort()
        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "c")
        await second.abort()
    }

    /// Ends a session as a killed process would.
    func die(_ session: any LoadSession) async throws {
        let crashing = try #require(session as? any SimulatedCrash, "the destination cannot simulate a crash")
        await crashing.simulateCrash()
    }

    /// Rows of `records` for table `t` under `loadId`, and the progress a sink would save.
    func stage(
        _ records: String, loadId: String, into session: any LoadSession, items: [String: ItemProgress],
        parentRows: [[String: Value]] = [], disposition: WriteDisposition = .append,
        itemOrder: Int = 0
    ) async throws -> (ResourceReport, ResourcePublication) {
        let normalizer = RecordNormalizer(loadId: loadId, maxNesting: 6)
        normalizer.declareRoot("t", primaryKey: ["id"], disposition: disposition, resource: "r")
        let parser = JSONParser()
        for record in try parser.parse(Array(records.utf8)).elements { try normalizer.add(record, to: "t", extras: []) }
        let progress = ResourceProgress(tables: normalizer.schemas, rows: normalizer.rowCounts, pages: 1)
        try await session.write(
            normalizer.takeBatches().map { StagedBatch($0, itemOrder: itemOrder) },
            checkpoint: Checkpoint(resource: "r", progress: progress, items: items, parentRows: parentRows))
        var report = ResourceReport(resource: "r", status: .succeeded)
        report.rows = normalizer.rowCounts
        let root = RootTable(name: "t", disposition: disposition, primaryKey: ["id"])
        return (report, ResourcePublication(resource: "r", tables: normalizer.schemas, roots: [root]))
    }

    @Test(
        "parent rows saved over several writes, and after a resume, come back in the order they were saved",
        arguments: DestinationKind.available)
    func parentRowsKeepTheirOrder(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let ids: [[Int64]] = [[12, 3], [7], (1...11).map { 20 - $0 }]  // ten and more: order is not text order
        let first = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "first")
        _ = try await first.prepareStaging(fingerprint: "F")
        for batch in ids[0..<2] {
            _ = try await stage(
                #"[{"id":1}]"#, loadId: "first", into: first, items: [:], parentRows: batch.map { ["id": .int($0)] })
        }
        try await die(first)
        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "second")
        _ = try #require(try await second.prepareStaging(fingerprint: "F"))
        _ = try await stage(
            #"[{"id":1}]"#, loadId: "first", into: second, items: [:], parentRows: ids[2].map { ["id": .int($0)] })
        try await die(second)
        let third = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "third")
        let point = try #require(try await third.prepareStaging(fingerprint: "F"))
        await third.abort()
        #expect(point.resources["r"]?.parentRows == ids.joined().map { ["id": .int($0)] })
    }

    @Test(
        "a write that fails after staging a new table takes it back: the next write of that table stages it again",
        arguments: DestinationKind.available)
    func failedWriteForgetsItsTables(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        // Past every destination's column limit (SQLite 2000, PostgreSQL 1600): its staged table cannot be made.
        let wide = "[{" + (0..<2100).map { "\"c\($0)\":1" }.joined(separator: ",") + "}]"
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "a")
        _ = try await session.prepareStaging(fingerprint: "F")
        do {
            await #expect(throws: (any Error).self) {
                _ = try await self.write([("good", #"[{"id":1}]"#), ("wide", wide)], session)
            }
            let good = try await write([("good", #"[{"id":2}]"#)], session)
            var report = ResourceReport(resource: "good", status: .succeeded)
            report.rows = ["good": 1]
            let root = RootTable(name: "good", disposition: .append, primaryKey: [])
            try await session.commit(
                LoadSummary(
                    loadId: "a", pipeline: h.pipeline, startedAt: "s", finishedAt: "f", reports: [report],
                    publications: [ResourcePublication(resource: "good", tables: good, roots: [root])]))
        } catch {
            await session.abort()
            throw error
        }
        #expect(try await h.rows("SELECT id FROM good") == [["2"]])
    }

    /// Stages each `records` as the rows of its table, in one write of resource `good`, tables in
    /// the order given; returns their schemas.
    func write(_ tables: [(String, String)], _ session: any LoadSession) async throws -> [TableSchema] {
        let normalizer = RecordNormalizer(loadId: "a", maxNesting: 2)
        let parser = JSONParser()
        for (table, records) in tables {
            normalizer.declareRoot(table, primaryKey: [], disposition: .append, resource: "good")
            for record in try parser.parse(Array(records.utf8)).elements {
                try normalizer.add(record, to: table, extras: [])
            }
        }
        try await session.write(
            normalizer.takeBatches().map { StagedBatch($0, itemOrder: 0) },
            checkpoint: Checkpoint(
                resource: "good", progress: ResourceProgress(tables: normalizer.schemas), items: [:], parentRows: []))
        return normalizer.schemas
    }

    @Test("a load that died before its first write leaves nothing to resume", arguments: DestinationKind.available)
    func deathBeforeFirstWrite(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let first = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "first")
        _ = try await first.prepareStaging(fingerprint: "F")
        try await die(first)
        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "second")
        let point = try await second.prepareStaging(fingerprint: "F")
        await second.abort()
        // PostgreSQL records a load at its first write: none here. SQLite resumes it, with nothing in it.
        #expect(kind == .postgres ? point == nil : point?.resources.isEmpty == true)
    }

    @Test(
        "a load whose process died is resumed by the next identical run, and only by it",
        arguments: DestinationKind.available)
    func resumeAfterDeath(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let next = ItemProgress.next(
            PageRequestRecord(PageRequest(method: "GET", url: "http://api/x", params: [("after", "2")], body: nil)),
            paginator: ["offset": "2"])
        let first = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "first")
        let fresh = try await first.prepareStaging(fingerprint: "F")
        #expect(fresh == nil)
        // An empty list: the checkpoint knows a child table that has no staged rows.
        _ = try await stage(
            #"[{"id":1,"tags":[]},{"id":2}]"#, loadId: "first", into: first, items: ["page": next],
            parentRows: [["id": .int(2)]])
        try await die(first)

        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "second")
        let point = try #require(try await second.prepareStaging(fingerprint: "F"))
        #expect(point.loadId == "first")
        let r = try #require(point.resources["r"])
        #expect(r.items["page"] == next)
        #expect(r.parentRows == [["id": .int(2)]])
        #expect(r.progress.rows["t"] == 2)
        var (report, publication) = try await stage(
            #"[{"id":3}]"#, loadId: "first", into: second, items: ["page": .done])
        report.rows["t"] = 3
        // As the engine does: the tables the interrupted run saw are part of the load.
        publication.tables += r.progress.tables.filter { t in !publication.tables.contains { $0.name == t.name } }
        #expect(publication.tables.contains { $0.name == "t__tags" })
        try await second.commit(
            LoadSummary(
                loadId: "first", pipeline: h.pipeline, startedAt: "s", finishedAt: "f", reports: [report],
                publications: [publication]))
        #expect(try await h.rows("SELECT id FROM t ORDER BY id") == [["1"], ["2"], ["3"]])
        #expect(try await h.rows("SELECT load_id FROM _connector_loads") == [["first"]])

        // A dead load is not adopted by a run of other resources or options: it starts over.
        let third = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "third")
        let afterCommit = try await third.prepareStaging(fingerprint: "F")
        #expect(afterCommit == nil, "a committed load is never resumed")
        _ = try await stage(#"[{"id":9}]"#, loadId: "third", into: third, items: ["page": next])
        try await die(third)
        let fourth = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "fourth")
        let other = try await fourth.prepareStaging(fingerprint: "G")
        #expect(other == nil)
        try await fourth.commit(
            LoadSummary(
                loadId: "fourth", pipeline: h.pipeline, startedAt: "s", finishedAt: "f", reports: [],
                publications: []))
        #expect(try await h.count("t") == 3)
    }

    @Test(
        "merge: a key staged by several work items keeps the latest item's row, whatever order they were staged in",
        arguments: DestinationKind.available, [WriteDisposition.merge, .replace])
    func mergeWinnerByItemOrder(_ kind: DestinationKind, _ publishedAs: WriteDisposition) async throws {
        let h = try Harness(kind)
        // Item 2 finishes first (it holds key 1 twice: its later record wins), then the process dies;
        // the resumed load stages item 3 and item 1, which finished last. A key's children come
        // from the same item as its row.
        let first = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "L")
        _ = try await first.prepareStaging(fingerprint: "F")
        _ = try await stage(
            #"[{"id":1,"v":"item2-a"},{"id":1,"v":"item2-b"},{"id":2,"v":"item2","tags":["n1"]}]"#,
            loadId: "L", into: first, items: ["i2": .done], disposition: .merge, itemOrder: 2)
        try await die(first)
        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "L2")
        _ = try #require(try await second.prepareStaging(fingerprint: "F"))
        _ = try await stage(
            #"[{"id":3,"v":"item3"}]"#, loadId: "L", into: second, items: ["i3": .done], disposition: .merge,
            itemOrder: 3)
        var (report, publication) = try await stage(
            #"[{"id":1,"v":"item1","tags":["o1"]},{"id":2,"v":"item1","tags":["o1","o2"]}]"#,
            loadId: "L", into: second, items: ["i1": .done], disposition: .merge, itemOrder: 1)
        // replace: a full refresh of a merged resource
        publication.roots = [RootTable(name: "t", disposition: publishedAs, primaryKey: ["id"])]
        try await second.commit(
            LoadSummary(
                loadId: "L", pipeline: h.pipeline, startedAt: "s", finishedAt: "f", reports: [report],
                publications: [publication]))
        #expect(
            try await h.rows("SELECT id, v FROM t ORDER BY id") == [
                ["1", "item2-b"], ["2", "item2"], ["3", "item3"],
            ])
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == [["n1"]])
    }

    @Test("an aborted load changes nothing and leaves no scratch file", arguments: DestinationKind.available)
    func abort(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1}]"#, disposition: .append)
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "x")
        let normalizer = RecordNormalizer(loadId: "x", maxNesting: 6)
        normalizer.declareRoot("t", primaryKey: [], disposition: .append, resource: "r")
        let parser = JSONParser()  // values borrow from their parser: keep it alive while they are used
        try normalizer.add(try parser.parse(Array(#"{"id":5}"#.utf8)), to: "t", extras: [])
        try await Harness.write(normalizer.takeBatches(), to: session)
        await session.abort()
        #expect(try await h.count("t") == 1)
        if let sqlite = h.destination as? SQLiteDestination {
            #expect(!FileManager.default.fileExists(atPath: sqlite.path(for: h.pipeline) + ".staging"))
        }
    }

    @Test(
        "a type decided by an earlier run holds: a conflicting value goes to a variant column",
        arguments: DestinationKind.available)
    func typesPersistAcrossRuns(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1,"n":1}]"#, disposition: .append)
        try await h.load(#"[{"id":2}]"#, disposition: .append)  // a run without the field keeps its type
        try await h.load(#"[{"id":3,"n":2.5}]"#, disposition: .append)
        #expect(
            try await h.rows("SELECT id, n, n__v_double FROM t ORDER BY id") == [
                ["1", "1", nil], ["2", nil, nil], ["3", nil, "2.5"],
            ])
    }

    @Test(
        "schema contracts: freeze fails, discard_value drops values, discard_row drops records",
        arguments: DestinationKind.available)
    func contracts(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1}]"#, disposition: .append)
        await #expect(throws: NormalizeError.self) {
            try await h.load(#"[{"id":2,"extra":"x"}]"#, disposition: .append, contract: .freeze)
        }
        try await h.load(#"[{"id":3,"extra":"x"}]"#, disposition: .append, contract: .discard_value)
        try await h.load(#"[{"id":4,"extra":"x"},{"id":5}]"#, disposition: .append, contract: .discard_row)
        #expect(try await h.rows("SELECT id FROM t ORDER BY id") == [["1"], ["3"], ["5"]])
        #expect(try await !h.recordedColumns("t").contains("\"extra\""))
        try await h.load(#"[{"id":6,"extra":"x"}]"#, disposition: .append, contract: .evolve)
        #expect(try await h.rows("SELECT extra FROM t WHERE id = 6") == [["x"]])
    }

    @Test(
        "retention keeps the last N values of a column, children included, in the load's transaction",
        arguments: DestinationKind.available)
    func retention(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let rule = RetentionRule(column: "quarter", keepLast: 2, maxAgeSeconds: nil)
        for q in ["2025_Q3", "2025_Q4", "2026_Q1"] {
            try await h.load(
                #"[{"id":"\#(q)-1","quarter":"\#(q)","tags":["a"]},{"id":"\#(q)-2","quarter":"\#(q)","tags":["b"]}]"#,
                disposition: .merge, primaryKey: ["id"], retention: rule)
        }
        #expect(try await h.rows("SELECT DISTINCT quarter FROM t ORDER BY quarter") == [["2025_Q4"], ["2026_Q1"]])
        #expect(try await h.count("t__tags") == 4)
        // A row without the column stays, as do the last two values.
        try await h.load(#"[{"id":"none","tags":["c"]}]"#, disposition: .merge, primaryKey: ["id"], retention: rule)
        #expect(try await h.rows("SELECT id FROM t WHERE quarter IS NULL") == [["none"]])
        #expect(try await h.count("t") == 5)
        #expect(try await h.count("t__tags") == 5)
        let aged = RetentionRule(column: "at", keepLast: nil, maxAgeSeconds: 86_400)
        try await h.load(
            #"[{"id":"old","at":"2001-01-01T00:00:00Z"},{"id":"new","at":"2999-01-01T00:00:00Z"}]"#,
            disposition: .merge, primaryKey: ["id"], retention: aged)
        #expect(try await h.rows("SELECT id FROM t WHERE at IS NOT NULL") == [["new"]])
    }

    @Test("names longer than the destination keeps load without colliding", arguments: DestinationKind.available)
    func longNames(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let stem = String(repeating: "very_long_field_name_", count: 4)
        try await h.load(
            #"[{"id":1,"\#(stem)a":"A","\#(stem)b":"B","list_with_a_\#(stem)":["x"]}]"#, disposition: .append)
        #expect(try await h.count("t") == 1)
        let columns = try await h.recordedColumns("t")
        #expect(columns.contains(stem + "a") && columns.contains(stem + "b"))
        if let limit = h.destination.capabilities.maxIdentifierLength { #expect(stem.count + 1 > limit) }
    }

    @Test("field names that look like SQL are just names", arguments: DestinationKind.available)
    func sqlLookingNames(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1,"select":"s","x\"; DROP TABLE t; --":"y","'or 1=1":"z"}]"#, disposition: .append)
        try await h.load(#"[{"id":2,"select":"s2"}]"#, disposition: .append)
        #expect(try await h.count("t") == 2)
        #expect(try await h.rows("SELECT \"select\" FROM t ORDER BY id") == [["s"], ["s2"]])
    }
}
