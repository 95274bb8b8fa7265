import ConnectorKit
import PostgresNIO

/// Key indexes of the resources that finished staging (`LoadSession.stagingFinished`), built on a
/// second connection while the load's other resources still stage. Built at the publish instead,
/// they are work done while nothing else runs: the end of a run, after its last page. At the
/// publish the load's own connection joins in on what is still queued (`finish`), and the publish
/// finds the rest built (`PostgresKeyIndexes.build` skips built indexes).
/// Rows staged later into an early-indexed table (two resources staging one table) first drop its
/// index (`release`): a unique one would refuse a repeated key that the publish sorts out.
actor PostgresEarlyKeyIndexes {
    private let connector: PostgresConnector
    private let indexes: PostgresKeyIndexes
    private var opening: Task<PostgresConnection?, Never>?
    private var queue: [PostgresKeyIndexes.Planned] = []
    private var worker: Task<Void, Never>?
    /// What the builds found: indexes built, merged roots' keys unique or repeated.
    private var outcome = PostgresKeyIndexes.Outcome()
    /// Tables handed over, built or still queued.
    private var handedOver: Set<String> = []
    /// How long the second connection stays open once it has built everything queued: resources
    /// finish in bursts, and each new connection costs the server a backend (a fork and cold
    /// catalog caches, milliseconds of CPU at the busiest time of a run).
    private let linger: Duration
    /// Counts the idle spells of the second connection; a close scheduled for an earlier spell
    /// does nothing.
    private var idleSpell = 0

    init(connector: PostgresConnector, indexes: PostgresKeyIndexes, linger: Duration = .milliseconds(300)) {
        self.connector = connector
        self.indexes = indexes
        self.linger = linger
    }

    /// Queues the indexes of a resource that finished staging; the second connection builds them.
    func add(_ planned: [PostgresKeyIndexes.Planned]) {
        let new = planned.filter { !handedOver.contains($0.table) }
        guard !new.isEmpty else { return }
        handedOver.formUnion(new.map(\.table))
        queue += new
        if worker == nil { worker = Task { await self.work() } }
    }

    /// The second connection, opened once; nil when the server refuses it (the load's own
    /// connection then builds everything at the publish). A close scheduled while it idled is
    /// called off: the caller uses it until it closes it (`close`).
    func helper() async -> PostgresConnection? {
        idleSpell += 1
        if opening == nil { opening = Task { [connector] in try? await connector.connect() } }
        return await opening?.value
    }

    /// At the publish: builds what is still queued on `connection` too, beside the second one,
    /// then returns what every build found, and which tables were handed over (an index missing
    /// among them, its build having failed, is the publish's to build). A build failing on
    /// `connection` throws.
    func finish(
        joining connection: PostgresConnection
    ) async throws -> (outcome: PostgresKeyIndexes.Outcome, handedOver: Set<String>) {
        while let next = take() { record(next, built: try await indexes.build(next, connection)) }
        await worker?.value
        return (outcome, handedOver)
    }

    /// Before rows are staged into `tables` again: their early indexes are dropped, or never built.
    func release(_ tables: Set<String>, on connection: PostgresConnection) async throws {
        let mine = tables.intersection(handedOver)
        guard !mine.isEmpty else { return }
        queue.removeAll { mine.contains($0.table) }
        await worker?.value
        for table in mine {
            try await indexes.drop(table, connection)
            handedOver.remove(table)
            outcome.indexed.remove(table)
            outcome.keysUnique[table] = nil
        }
    }

    /// Waits for the build in flight and closes the second connection.
    func close() async {
        queue.removeAll()
        await worker?.value
        await closeHelper()
    }

    /// Builds what is queued, then closes the second connection unless more comes within `linger`:
    /// a load holds it only while it builds, give or take that (loads running side by side would
    /// otherwise hold twice the server's connections).
    private func work() async {
        guard let connection = await helper() else {
            worker = nil  // refused: the publish builds everything on the load's connection
            return
        }
        var failed = false
        while let next = take() {
            do {
                record(next, built: try await indexes.build(next, connection))
            } catch {
                failed = true  // left to the publish, which builds what is missing
                break
            }
        }
        worker = nil  // tables queued from here on start a worker of their own
        idleSpell += 1
        guard !failed, linger > .zero else { return await closeHelper() }
        let spell = idleSpell
        Task { [linger] in
            try? await Task.sleep(for: linger)
            await self.closeIfIdle(since: spell)
        }
    }

    /// Closes the second connection if it has stayed idle since `spell` began.
    private func closeIfIdle(since spell: Int) async {
        guard spell == idleSpell, worker == nil else { return }
        await closeHelper()
    }

    private func closeHelper() async {
        let closing = opening
        opening = nil
        if let connection = await closing?.value { try? await connection.close() }
    }

    private func take() -> PostgresKeyIndexes.Planned? { queue.isEmpty ? nil : queue.removeFirst() }

    private func record(_ planned: PostgresKeyIndexes.Planned, built: Bool) {
        if built { outcome.indexed.insert(planned.table) }
        if planned.unique { outcome.keysUnique[planned.table] = built }
    }
}
