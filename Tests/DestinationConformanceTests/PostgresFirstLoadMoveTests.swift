import ConnectorKit
import Foundation
@_spi(Testing) import ConnectorKit
@testable import PostgresDestination
import Testing

/// A first load into PostgreSQL stages each table in its published form and moves the staged table
/// into the dataset instead of copying its rows (`PostgresPublisher.moveStaged`). These check that
/// the published table is the staged one where it may be, and a copy everywhere else: repeated
/// merge keys, later loads, shards publishing the same new table, and a publish that fails.
@Suite(
    "PostgreSQL first-load move",
    .enabled(if: DestinationKind.postgresURL != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
struct PostgresFirstLoadMoveTests {
    static let records = #"[{"id":1,"at":"2024-01-02T03:04:05Z","tags":["a","b"]},{"id":2,"tags":["c"]}]"#

    /// `schema`'s tables `t` and `t__tags`: name → (OID, persistence: p logged, u unlogged).
    func tables(_ schema: String) async throws -> [String: [String?]] {
        let connection = try await PostgresConnector(url: DestinationKind.postgresURL ?? "").connect()
        defer { Task { try? await connection.close() } }
        let rows = try await connection.rows(
            """
            SELECT c.relname, c.oid::text, c.relpersistence::text FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = '\(schema)' AND c.relname IN ('t', 't__tags')
            """)
        return Dictionary(uniqueKeysWithValues: rows.rows.map { ($0[0] ?? "", Array($0[1...])) })
    }

    func run(_ sql: String) async throws {
        let connection = try await PostgresConnector(url: DestinationKind.postgresURL ?? "").connect()
        defer { Task { try? await connection.close() } }
        try await connection.run(sql)
    }

    @Test(
        "a first load publishes its staged tables themselves, typed, indexed, without staging columns",
        arguments: [WriteDisposition.append, .replace, .merge])
    func firstLoadMoves(_ disposition: WriteDisposition) async throws {
        let h = try Harness(.postgres)
        var staged: [String: [String?]] = [:]
        try await h.load(Self.records, disposition: disposition, primaryKey: ["id"]) {
            staged = try await tables(h.pipeline + "_staging")
        }
        #expect(staged["t"]?.last == "p" && staged["t__tags"]?.last == "p", "logged: \(staged)")
        #expect(try await tables(h.pipeline) == staged)
        #expect(
            try await h.rows("SELECT id, at FROM t ORDER BY id") == [["1", "2024-01-02T03:04:05.000Z"], ["2", nil]])
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == [["a"], ["b"], ["c"]])
        let types = try await h.rows(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '\(h.pipeline)' "
                + "AND table_name = 't' AND column_name IN ('at', '_stg_item', '_stg_seq')")
        #expect(types == [["at", "timestamp with time zone"]])
        let indexed = try await h.rows(
            "SELECT tablename, indexdef LIKE 'CREATE UNIQUE %' FROM pg_indexes WHERE schemaname = '\(h.pipeline)' "
                + "AND tablename IN ('t', 't__tags') ORDER BY tablename")
        // A merged root's keys were found unique by building its index unique (no separate check).
        #expect(indexed == [["t", disposition == .merge ? "true" : "false"], ["t__tags", "false"]])
    }

    @Test("a first merge whose key repeats copies the newest row per key instead of moving")
    func repeatedKeyCopies() async throws {
        let h = try Harness(.postgres)
        var staged: [String: [String?]] = [:]
        try await h.load(
            #"[{"id":1,"v":"old","tags":["o"]},{"id":1,"v":"new","tags":["n"]}]"#, disposition: .merge,
            primaryKey: ["id"]
        ) { staged = try await tables(h.pipeline + "_staging") }
        let published = try await tables(h.pipeline)
        #expect(published["t"]?.first != staged["t"]?.first && published["t__tags"]?.first != staged["t__tags"]?.first)
        #expect(try await h.rows("SELECT id, v FROM t") == [["1", "new"]])
        #expect(try await h.rows("SELECT value FROM t__tags") == [["n"]])
    }

    @Test("a later load stages unlogged text and merges into the moved table")
    func laterLoadCopies() async throws {
        let h = try Harness(.postgres)
        try await h.load(Self.records, disposition: .merge, primaryKey: ["id"])
        let first = try await tables(h.pipeline)
        var staged: [String: [String?]] = [:]
        try await h.load(
            #"[{"id":2,"at":"2024-05-06T07:08:09Z","tags":["c2"]},{"id":3,"tags":[]}]"#, disposition: .merge,
            primaryKey: ["id"]
        ) { staged = try await tables(h.pipeline + "_staging") }
        #expect(staged["t"]?.last == "u")
        #expect(try await tables(h.pipeline) == first)
        #expect(
            try await h.rows("SELECT id, at FROM t ORDER BY id")
                == [["1", "2024-01-02T03:04:05.000Z"], ["2", "2024-05-06T07:08:09.000Z"], ["3", nil]])
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == [["a"], ["b"], ["c2"]])
    }

    @Test("a publish that fails after moving leaves the dataset without the table, and the next load moves")
    func failedPublishUndoesTheMove() async throws {
        let h = try Harness(.postgres)
        try await h.load(#"[{"id":0}]"#, disposition: .append)  // creates the dataset's bookkeeping tables
        try await run("DROP TABLE \(h.pipeline).t")
        try await run(
            "CREATE FUNCTION \(h.pipeline).refuse() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$")
        try await run(
            "CREATE TRIGGER refuse BEFORE INSERT ON \(h.pipeline)._connector_loads "
                + "FOR EACH ROW EXECUTE FUNCTION \(h.pipeline).refuse()")
        await #expect(throws: PostgresDestinationError.self) {
            try await h.load(Self.records, disposition: .merge, primaryKey: ["id"])
        }
        #expect(try await tables(h.pipeline).isEmpty)
        try await run("DROP TRIGGER refuse ON \(h.pipeline)._connector_loads")
        var staged: [String: [String?]] = [:]
        try await h.load(Self.records, disposition: .merge, primaryKey: ["id"]) {
            staged = try await tables(h.pipeline + "_staging")
        }
        #expect(try await tables(h.pipeline) == staged)
        #expect(try await h.count("t") == 2)
    }

    @Test("staging writes commit without waiting for the WAL to reach disk; the publish as the server is configured")
    func stagingCommitsAsynchronously() async throws {
        // A role whose configured setting is to wait (the test server's own default is not to),
        // dropped with what it made afterwards.
        let role = "durable_" + UUID().uuidString.prefix(8).lowercased()
        try await run("CREATE ROLE \(role) LOGIN SUPERUSER")
        do {
            try await run("ALTER ROLE \(role) SET synchronous_commit = on")
            try await commitsAsTheRoleSays(role)
        } catch {
            try? await run("DROP OWNED BY \(role) CASCADE")
            try? await run("DROP ROLE \(role)")
            throw error
        }
        try await run("DROP OWNED BY \(role) CASCADE")
        try await run("DROP ROLE \(role)")
    }

    private func commitsAsTheRoleSays(_ role: String) async throws {
        var url = try #require(URLComponents(string: DestinationKind.postgresURL ?? ""))
        url.user = role
        let destination = try PostgresDestination(url: try #require(url.string), dataset: "{pipeline}")
        let h = try Harness(destination: destination)
        try await h.load(#"[{"id":0}]"#, disposition: .append)  // creates the dataset's bookkeeping tables
        // The load record goes in inside the publish's transaction: refused there unless it waits.
        try await refuse(on: "\(h.pipeline)._connector_loads", unless: "on")
        let session = try await destination.beginLoad(pipeline: h.pipeline, loadId: "x")
        _ = try await session.prepareStaging(fingerprint: "f")
        do {
            // The first write creates the checkpoint table; every write saves its checkpoint there:
            // refused unless the write's transaction does not wait.
            _ = try await stage(Self.records, loadId: "x", h, session)
            try await refuse(on: "\(h.pipeline)_staging.\(PostgresResumeStore.table)", unless: "off")
            let summary = try await stage(Self.records, loadId: "x", h, session)
            // Only that transaction: the session itself commits as the role says (state saved outside loads).
            let postgres = try #require(session as? PostgresLoadSession)
            #expect(try await postgres.connection.rows("SHOW synchronous_commit").rows == [["on"]])
            try await session.commit(summary)
        } catch {
            await session.abort()
            throw error
        }
        #expect(try await h.count("t") == 3)
    }

    /// A trigger refusing inserts into `table` while `synchronous_commit` is not `setting`.
    private func refuse(on table: String, unless setting: String) async throws {
        let function = table.replacingOccurrences(of: ".", with: "_") + "_" + setting
        try await run(
            "CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF current_setting('synchronous_commit') <> '\(setting)' THEN "
                + "RAISE EXCEPTION 'synchronous_commit is not \(setting)'; END IF; RETURN NEW; END $$")
        try await run("CREATE TRIGGER refuse BEFORE INSERT ON \(table) FOR EACH ROW EXECUTE FUNCTION \(function)()")
    }

    @Test("shards staging the same new table: the first to publish moves it in, the other copies into it")
    func shardsFallBack() async throws {
        let url = DestinationKind.postgresURL ?? ""
        var first = try PostgresDestination(url: url, dataset: "{pipeline}")
        first.scope = WorkScope(shard: try Shard(index: 0, count: 2))
        var second = first
        second.scope = WorkScope(shard: try Shard(index: 1, count: 2))
        let h = try Harness(destination: first)
        let a = try await first.beginLoad(pipeline: h.pipeline, loadId: "a")
        let b = try await second.beginLoad(pipeline: h.pipeline, loadId: "b")
        let summaryA = try await stage(#"[{"id":1,"tags":["a"]},{"id":2,"tags":["b"]}]"#, loadId: "a", h, a)
        let summaryB = try await stage(#"[{"id":2,"tags":["b2"]},{"id":3,"tags":["c"]}]"#, loadId: "b", h, b)
        let stagedA = try await tables(h.pipeline + "_staging_s0of2")
        #expect(try await tables(h.pipeline + "_staging_s1of2")["t"]?.last == "p")
        try await a.commit(summaryA)
        try await b.commit(summaryB)
        #expect(try await tables(h.pipeline) == stagedA)
        #expect(try await h.rows("SELECT id FROM t ORDER BY id") == [["1"], ["2"], ["3"]])
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == [["a"], ["b2"], ["c"]])
    }

    @Test("a new child of a long-named root moves in beside its siblings: key index names do not clash")
    func longNamesKeepIndexesApart() async throws {
        let h = try Harness(.postgres)
        let root = String(repeating: "r", count: 45)
        for (loadId, records) in [("a", #"[{"id":1,"first":[1]}]"#), ("b", #"[{"id":2,"second":[2]}]"#)] {
            let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: loadId)
            _ = try await session.prepareStaging(fingerprint: loadId)
            try await session.commit(try await stage(records, loadId: loadId, h, session, root: root))
        }
        #expect(try await h.count(root + "__first") == 1)
        #expect(try await h.count(root + "__second") == 1)
        let indexes = try await h.rows(
            "SELECT count(DISTINCT indexname) FROM pg_indexes WHERE schemaname = '\(h.pipeline)' "
                + "AND tablename LIKE 'rrr%'")
        #expect(indexes == [["3"]])
    }

    @Test("a resumed load drops the key indexes built for a publish that never came, then stages a key again")
    func resumeDropsPrebuiltIndexes() async throws {
        let url = DestinationKind.postgresURL ?? ""
        let h = try Harness(.postgres)
        let first = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "a")
        _ = try await first.prepareStaging(fingerprint: "f")
        let summary = try await stage(#"[{"id":1,"v":"old"}]"#, loadId: "a", h, first)
        let connection = try await PostgresConnector(url: url).connect()
        let planned = PostgresKeyIndexes.planned(summary.publications, publishReady: ["t"], staged: ["t": []])
        let built = try await PostgresKeyIndexes(dataset: h.pipeline, staging: h.pipeline + "_staging")
            .build(planned, on: [connection])
        try await connection.close()
        #expect(built.keysUnique == ["t": true])
        await (first as? any SimulatedCrash)?.simulateCrash()  // killed before its publish
        let second = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "b")
        #expect(try await second.prepareStaging(fingerprint: "f")?.loadId == "a")
        // A unique index left on the staged table would refuse this row (the test would fail here).
        do {
            try await second.commit(try await stage(#"[{"id":1,"v":"new"}]"#, loadId: "a", h, second))
        } catch {
            await second.abort()
            throw error
        }
        #expect(try await h.rows("SELECT v FROM t") == [["new"]])
    }

    @Test("key indexes are built before publishing, once: a second build finds them")
    func keyIndexesBuiltOnce() async throws {
        let url = DestinationKind.postgresURL ?? ""
        let destination = try PostgresDestination(url: url, dataset: "{pipeline}")
        let h = try Harness(destination: destination)
        for (records, unique) in [(#"[{"id":1,"tags":["a"]},{"id":2}]"#, true), (#"[{"id":1},{"id":1}]"#, false)] {
            let session = try await destination.beginLoad(pipeline: h.pipeline, loadId: "a")
            _ = try await session.prepareStaging(fingerprint: "f")
            let summary = try await stage(records, loadId: "a", h, session)
            let staging = h.pipeline + "_staging"
            let planned = PostgresKeyIndexes.planned(
                summary.publications, publishReady: ["t", "t__tags"], staged: ["t": [], "t__tags": []])
            let tagged = unique ? ["t__tags"] : []  // only the first records have tags
            #expect(
                planned.map { "\($0.table) \($0.column) \($0.unique)" }.sorted()
                    == ["t _connector_id true"] + tagged.map { "\($0) _connector_root_id false" })
            let connections = [
                try await PostgresConnector(url: url).connect(), try await PostgresConnector(url: url).connect(),
            ]
            let indexes = PostgresKeyIndexes(dataset: h.pipeline, staging: staging)
            let first = try await indexes.build(planned, on: connections)
            let again = try await indexes.build(planned, on: Array(connections.prefix(1)))
            for c in connections { try await c.close() }
            // A repeated key leaves no index: the second build finds the key repeated again.
            #expect(first.keysUnique == ["t": unique] && again.keysUnique == first.keysUnique)
            #expect(first.indexed == Set((unique ? ["t"] : []) + tagged) && again.indexed == first.indexed)
            let count = try await h.rows(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = '\(staging)' AND tablename IN ('t', 't__tags')")
            #expect(count == [["\(first.indexed.count)"]])
            await session.abort()
        }
    }

    @Test("a resource done staging has its key indexes built while the load goes on; rows staged later still publish")
    func finishedResourceIndexedEarly() async throws {
        let h = try Harness(.postgres)
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "a")
        _ = try await session.prepareStaging(fingerprint: "f")
        do {
            let summary = try await stage(#"[{"id":1,"v":"old","tags":["a"]}]"#, loadId: "a", h, session)
            await session.stagingFinished(summary.publications[0])
            #expect(try await stagedKeyIndexes(h, appear: ["t": true, "t__tags": false]))
            // Another resource staging the same table afterwards, repeating a key: the unique index
            // built early would refuse the row (the test fails here without dropping it first).
            try await session.commit(try await stage(#"[{"id":1,"v":"new"}]"#, loadId: "a", h, session))
        } catch {
            await session.abort()
            throw error
        }
        #expect(try await h.rows("SELECT v FROM t") == [["new"]])
        #expect(try await h.count("t") == 1)
    }

    /// Waits (at most 10 s) until the staged tables have key indexes as `expected` says (table → unique).
    private func stagedKeyIndexes(_ h: Harness, appear expected: [String: Bool]) async throws -> Bool {
        let staging = h.pipeline + "_staging"
        for _ in 0..<500 {
            let found = try await h.rows(
                "SELECT tablename, indexdef LIKE 'CREATE UNIQUE %' FROM pg_indexes WHERE schemaname = '\(staging)' "
                    + "AND indexname LIKE '\\_connector\\_key\\_%'")
            let indexes = Dictionary(found.map { ($0[0] ?? "", $0[1] == "true") }, uniquingKeysWith: { a, _ in a })
            if indexes == expected { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Stages `records` as merged resource `r` of table `t` and returns the summary that publishes them.
    func stage(
        _ records: String, loadId: String, _ h: Harness, _ session: any LoadSession, root: String = "t"
    ) async throws -> LoadSummary {
        let normalizer = RecordNormalizer(loadId: loadId, maxNesting: 6)
        normalizer.declareRoot(root, primaryKey: ["id"], disposition: .merge, resource: "r")
        let parser = JSONParser()
        for record in try parser.parse(Array(records.utf8)).elements {
            try normalizer.add(record, to: root, extras: [])
        }
        // The checkpoint names the staged tables, as the engine's do: a resumed load knows them.
        try await session.write(
            normalizer.takeBatches().map { StagedBatch($0, itemOrder: 0) },
            checkpoint: Checkpoint(
                resource: "r", progress: ResourceProgress(tables: normalizer.schemas), items: [:], parentRows: []))
        var report = ResourceReport(resource: "r", status: .succeeded)
        report.rows = normalizer.rowCounts
        let publication = ResourcePublication(
            resource: "r", tables: normalizer.schemas,
            roots: [RootTable(name: root, disposition: .merge, primaryKey: ["id"])])
        return LoadSummary(
            loadId: loadId, pipeline: h.pipeline, startedAt: "s", finishedAt: "f", reports: [report],
            publications: [publication])
    }
}
