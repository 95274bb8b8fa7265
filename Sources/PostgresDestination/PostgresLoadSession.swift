import ConnectorKit
import Foundation
import PostgresNIO

/// One load into a PostgreSQL dataset. Batches go to tables in `<dataset>_staging` by
/// `COPY … FROM STDIN` (unlogged ones, or publish-ready ones on a first load: `PostgresStagingTable`);
/// `commit` publishes the succeeded resources, their state and the load record in one transaction.
/// Each batch is staged with its checkpoint (`PostgresResumeStore`), so a load whose process died
/// is resumed by the next identical run; a session advisory lock keeps two runs of a dataset and
/// lane apart and dies with its connection. (Unlogged tables are emptied by a server crash; the
/// checkpoints are unlogged too, so the load then starts over, dropping logged staged tables too.)
/// Loads of other lanes (shards) stage in their own schema and run at once; their publishes
/// take turns per dataset and resource (`PostgresLocks`).
actor PostgresLoadSession: LoadSession {
    let connection: PostgresConnection
    let dataset: String
    let staging: String
    let pipeline: String
    private(set) var loadId: String
    private var stagedColumns: [String: [Column]] = [:]
    /// Staged tables in publish-ready form (`PostgresStagingTable`).
    private var publishReady: Set<String> = []
    /// The next staging sequence number (`PostgresStagingTable.seq`) per merged staged table.
    private var nextSeq: [String: Int] = [:]
    /// The id columns' `COLLATE` clause per root table (`PostgresIDCollation`).
    private var idCollations: [String: String] = [:]
    private var prepared = false
    /// The fingerprint `prepareStaging` was given, recorded by the first write (`PostgresResumeStore.begin`).
    private var fingerprint = ""
    /// Whether the load's checkpoint table exists: created by its first write, or by the load resumed.
    private var checkpointsBegun = false
    /// Set once the session ended; `SimulatedCrash` sets it too.
    var finished = false
    /// Bytes of COPY text sent per message while staging.
    static let copyChunkBytes = 1 << 18

    let lane: String
    /// Opens the second connection that builds key indexes while publishing (`PostgresKeyIndexes`).
    let connector: PostgresConnector?
    /// Whether a write or state save has its turn on `connection` (`takeTurn`), and who waits.
    private var turnTaken = false
    private var waitingForTurn: [CheckedContinuation<Void, Never>] = []
    /// Key indexes of resources that finished staging, built while others stage.
    private var earlyIndexes: PostgresEarlyKeyIndexes?
    /// Rows staged per table by this process, which orders the early index builds: largest first.
    private var stagedRows: [String: Int] = [:]
    /// The resources that wrote each table (from their first write's start): a table another
    /// resource writes too is left to the publish, not indexed early.
    private var writers: [String: Set<String>] = [:]

    /// `claimed`: the connection already holds the lane's lock and lease (a take-over, `claim`).
    init(
        connection: PostgresConnection, dataset: String, pipeline: String, loadId: String, scope: WorkScope = .all,
        claimed: Bool = false, connector: PostgresConnector? = nil
    ) async throws {
        self.connection = connection
        self.connector = connector
        self.dataset = dataset
        let lane = scope.lane
        self.lane = lane
        self.staging = dataset + "_staging" + (lane.isEmpty ? "" : "_" + lane)
        self.pipeline = pipeline
        self.loadId = loadId
        // A session that just ended may hold the lock until its server process exits: ask a few times.
        var locked = claimed
        for attempt in 0..<20 where !locked {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(50)) }
            let answer = try await connection.rows(
                "SELECT pg_try_advisory_lock(hashtext($1))", PostgresLocks.load(dataset, lane: lane))
            locked = answer.rows.first?.first == "true"
        }
        guard locked else {
            let which = lane.isEmpty ? "" : " as \(lane)"
            throw PostgresDestinationError(
                "another run of pipeline '\(pipeline)' is loading dataset '\(dataset)'\(which); wait for it to finish")
        }
        try await PostgresLocks.creatingSchemas(connection, dataset: dataset, staging: staging)
        if !claimed {
            try await PostgresLeases.hold(scope, pipeline: pipeline, loadId: loadId, dataset: dataset, connection)
        }
    }

    func prepareStaging(fingerprint: String) async throws -> ResumePoint? {
        prepared = true
        let store = PostgresResumeStore(connection: connection, staging: staging)
        if let staged = try await store.stagedLoad(), staged.pipeline == pipeline, staged.fingerprint == fingerprint,
            try await !loadRecorded(staged.loadId)
        {
            let point = try await store.resumePoint(loadId: staged.loadId)
            loadId = staged.loadId
            stagedColumns = try await store.stagedTables(types: CheckpointText.stagedTables(point))
            publishReady = try await stagingTables.publishReady(among: stagedColumns.keys)
            try await keyIndexes.dropAll(connection)
            checkpointsBegun = true
            return point
        }
        try await connection.run("DROP SCHEMA IF EXISTS \(stg) CASCADE")
        try await connection.run("CREATE SCHEMA \(stg)")
        stagedColumns.removeAll()
        publishReady.removeAll()
        nextSeq.removeAll()
        self.fingerprint = fingerprint
        checkpointsBegun = false
        return nil
    }

    private func loadRecorded(_ id: String) async throws -> Bool {
        var b = PostgresBindings()
        b.append(id)
        return try await connection.rows("SELECT count(*) FROM \(ds).\(BookkeepingTable.loads) WHERE load_id = $1", b)
            .rows.first?.first != "0"
    }

    var ds: String { PostgresSQL.quoted(dataset) }
    var stg: String { PostgresSQL.quoted(staging) }

    func existingTables() async throws -> [String: [Column]] {
        try await PostgresBookkeeping.latestSchemas(connection, dataset: dataset).compactMapValues {
            try? JSONDecoder().decode([Column].self, from: Data($0.columns.utf8))
        }
    }

    func state(resource: String) async throws -> ResourceState {
        var b = PostgresBindings()
        b.append(pipeline); b.append(resource)
        let r = try await connection.rows(
            "SELECT key, value FROM \(ds).\(BookkeepingTable.state) WHERE pipeline = $1 AND resource = $2", b)
        return StateEncoding.decode(rows: r.rows)
    }

    func saveState(_ change: StateChange, resource: String) async throws {
        await takeTurn()
        defer { endTurn() }
        try await PostgresBookkeeping.saveState(
            change, resource: resource, pipeline: pipeline, loadId: loadId,
            connection, dataset: dataset)
    }

    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
        for batch in batches { writers[batch.rows.table.name, default: []].insert(checkpoint.resource) }
        // Resources write at once, and this actor lets another call in at every await: without
        // turns, their transactions ran into one another on the one connection (one's COMMIT or
        // ROLLBACK ended the other's, which then went on outside any transaction).
        await takeTurn()
        defer { endTurn() }
        if !prepared { _ = try await prepareStaging(fingerprint: "") }
        try await earlyIndexes?.release(Set(batches.map(\.rows.table.name)), on: connection)
        // What the write learns of the staged tables holds once it commits: a rollback takes back
        // the tables it created or widened, and the session must not go on believing in them.
        let known = (stagedColumns, publishReady, nextSeq, stagedRows)
        try await connection.run("BEGIN")
        do {
            // A staging commit need not wait for the WAL to reach disk: a server crash empties the
            // unlogged checkpoints anyway, so the load starts over. (Only here: state saved outside
            // a load, such as export job ids, and the publish commit as the server is configured.)
            try await connection.run("SET LOCAL synchronous_commit TO off")
            // One COPY per table, whatever number of work items its rows came from.
            var tables: [String] = []
            var byTable: [String: [StagedBatch]] = [:]
            for batch in batches {
                if byTable[batch.rows.table.name] == nil { tables.append(batch.rows.table.name) }
                byTable[batch.rows.table.name, default: []].append(batch)
            }
            for table in tables { try await stage(byTable[table] ?? []) }
            let store = PostgresResumeStore(connection: connection, staging: staging)
            if !checkpointsBegun { try await store.begin(loadId: loadId, pipeline: pipeline, fingerprint: fingerprint) }
            try await store.save(checkpoint)
            try await PostgresLeases.renew(lane: lane, loadId: loadId, dataset: dataset, connection)
            try await connection.run("COMMIT")
            checkpointsBegun = true
        } catch {
            try? await connection.run("ROLLBACK")
            (stagedColumns, publishReady, nextSeq, stagedRows) = known
            throw error
        }
    }

    /// Stages batches of one table under the widest schema among them (columns are only ever
    /// appended, so it describes every batch) with one `COPY … FROM STDIN` (`PostgresCopyText`).
    /// Merged tables keep each row's item order (`StagingColumn.itemOrder`) and staging sequence.
    private func stage(_ batches: [StagedBatch]) async throws {
        guard let table = batches.map(\.rows.table).max(by: { $0.columns.count < $1.columns.count }) else { return }
        try await ensureStaging(table)
        let ordered = table.disposition == .merge
        let first = ordered ? try await sequenceStart(table.name) : nil
        let names = table.columns.map(\.name) + (ordered ? [StagingColumn.itemOrder, PostgresStagingTable.seq] : [])
        do {
            try await connection.copyFrom(
                table: PostgresSQL.copyTable(schema: staging, table: table.name),
                columns: names.map(PostgresSQL.copyName), logger: PostgresConnector.logger
            ) { writer in
                var text = PostgresCopyText(table: table.name, columns: table.columns.map(\.name), sequence: first)
                for batch in batches {
                    var next = 0
                    while next < batch.rows.count {
                        let order = ordered ? batch.itemOrder : nil
                        next = try text.append(batch.rows, from: next, order: order, upTo: Self.copyChunkBytes)
                        if text.count >= Self.copyChunkBytes { try await writer.write(text.take()) }
                    }
                }
                if text.count > 0 { try await writer.write(text.take()) }
            }
            let count = batches.reduce(0) { $0 + $1.rows.count }
            stagedRows[table.name, default: 0] += count
            if let first { nextSeq[table.name] = first + count }
        } catch let error as PSQLError {
            throw PostgresDestinationError(
                "\(error.serverInfo?[.message] ?? String(reflecting: error)) in: COPY into staging table \(table.name)")
        }
    }

    /// The next staging sequence number of a merged table: after those of rows a resumed load staged.
    private func sequenceStart(_ table: String) async throws -> Int {
        if let next = nextSeq[table] { return next }
        let t = "\(stg).\(PostgresSQL.quoted(table))"
        let max = try await connection.rows("SELECT coalesce(max(\(PostgresStagingTable.seq)), 0) FROM \(t)").rows
        return (Int((max.first?.first ?? nil) ?? "") ?? 0) + 1
    }

    private var stagingTables: PostgresStagingTable {
        PostgresStagingTable(connection: connection, dataset: dataset, staging: staging)
    }

    private func ensureStaging(_ table: TableSchema) async throws {
        guard let existing = stagedColumns[table.name] else {
            if try await stagingTables.create(table, idCollation: idCollation(table.root)) {
                publishReady.insert(table.name)
            }
            if table.disposition == .merge { nextSeq[table.name] = 1 }
            stagedColumns[table.name] = table.columns
            return
        }
        let missing = table.columns.filter { c in !existing.contains { $0.name == c.name } }
        try await stagingTables.add(missing, to: table.name, ready: publishReady.contains(table.name))
        if !missing.isEmpty { stagedColumns[table.name] = existing + missing }
    }

    private func idCollation(_ root: String) async throws -> String {
        if let known = idCollations[root] { return known }
        let clause = try await PostgresIDCollation.clause(root: root, dataset: dataset, staging: staging, connection)
        idCollations[root] = clause
        return clause
    }

    func stagingFinished(_ publication: ResourcePublication) async {
        let planned = PostgresKeyIndexes.planned([publication], publishReady: publishReady, staged: stagedColumns)
            .filter { writers[$0.table, default: []].subtracting([publication.resource]).isEmpty }
            .sorted { stagedRows[$0.table, default: 0] > stagedRows[$1.table, default: 0] }
        guard !planned.isEmpty else { return }
        await earlyBuilder()?.add(planned)
    }

    func commit(_ load: LoadSummary) async throws {
        // Every resource's writes ended before the commit; the turn makes sure of it.
        await takeTurn()
        defer { endTurn() }
        do {
            let keyIndexes = try await buildKeyIndexes(load.publications)
            await closeEarlyIndexes()  // the second connection is not held through the publish
            try await connection.run("BEGIN")
            try await PostgresLocks.publishing(load.publications.map(\.resource), dataset: dataset, connection)
            let publisher = PostgresPublisher(
                connection: connection, dataset: dataset, staging: staging, pipeline: pipeline, loadId: loadId,
                publishReady: publishReady)
            publisher.ledger.withLock {
                $0.keysUnique = keyIndexes.keysUnique
                $0.indexed = keyIndexes.indexed
            }
            for publication in load.publications {
                try await PublishPlan.publish(publication, staged: stagedColumns, into: publisher)
            }
            try await publisher.recordSchemas()
            try await PostgresBookkeeping.record(load, connection, dataset: dataset)
            try await PostgresLeases.release(lane: lane, dataset: dataset, required: true, connection)
            try await connection.run("COMMIT")
        } catch {
            try? await connection.run("ROLLBACK")
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    func abort() async {
        await takeTurn()
        defer { endTurn() }
        await cleanUp()
    }

    /// Builds the key indexes of the staged tables publishing moves in, on this connection and a
    /// second one when there are several (`PostgresKeyIndexes`); without a second, on this alone.
    /// Those of resources that finished earlier are built already, or being built
    /// (`PostgresEarlyKeyIndexes`): this connection joins in.
    private func buildKeyIndexes(_ publications: [ResourcePublication]) async throws -> PostgresKeyIndexes.Outcome {
        let planned = PostgresKeyIndexes.planned(publications, publishReady: publishReady, staged: stagedColumns)
        guard !planned.isEmpty else { return PostgresKeyIndexes.Outcome() }
        let builder = earlyBuilder()
        let (early, handedOver) =
            try await builder?.finish(joining: connection) ?? (PostgresKeyIndexes.Outcome(), [])
        let todo = planned.filter { !handedOver.contains($0.table) }
        guard !todo.isEmpty else { return early }
        let helper = todo.count > 1 ? await builder?.helper() : nil
        var outcome = try await keyIndexes.build(todo, on: [connection] + (helper.map { [$0] } ?? []))
        outcome.indexed.formUnion(early.indexed)
        outcome.keysUnique.merge(early.keysUnique) { found, _ in found }
        return outcome
    }

    /// The builder of key indexes ahead of the publish, made on first need; nil without a
    /// connector to open its second connection.
    private func earlyBuilder() -> PostgresEarlyKeyIndexes? {
        if earlyIndexes == nil, let connector {
            earlyIndexes = PostgresEarlyKeyIndexes(connector: connector, indexes: keyIndexes)
        }
        return earlyIndexes
    }

    /// Waits for an early index build in flight and closes its connection.
    func closeEarlyIndexes() async { await earlyIndexes?.close() }

    /// Returns once it is the caller's turn on `connection`, first come first served: the actor
    /// alone lets another call in at every await, and a write's transaction must not interleave
    /// with another's. Pair with `endTurn`.
    private func takeTurn() async {
        if turnTaken {
            await withCheckedContinuation { waitingForTurn.append($0) }
        } else {
            turnTaken = true
        }
    }

    /// Hands the turn to the next caller waiting, if any.
    private func endTurn() {
        if waitingForTurn.isEmpty {
            turnTaken = false
        } else {
            waitingForTurn.removeFirst().resume()
        }
    }

    private var keyIndexes: PostgresKeyIndexes { PostgresKeyIndexes(dataset: dataset, staging: staging) }

    private func cleanUp() async {
        guard !finished else { return }
        finished = true
        await closeEarlyIndexes()
        try? await connection.run("DROP SCHEMA IF EXISTS \(stg) CASCADE")
        try? await PostgresLeases.release(lane: lane, dataset: dataset, required: false, connection)
        // Closing releases the lock only once the server process exits; the next run should not wait for that.
        try? await connection.run("SELECT pg_advisory_unlock(hashtext($1))", PostgresLocks.load(dataset, lane: lane))
        try? await connection.close()
    }
}
