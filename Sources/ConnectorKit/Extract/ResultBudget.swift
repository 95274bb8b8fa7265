/// How many export-job results the process holds at once, from the start of their download until
/// their rows are written: one, shared by every resource and pipeline of the run.
///
/// A result is one page of any size, and it weighs several times its bytes while it is loaded
/// (a forecast export at sandbox scale 100: a 6 MB body, ~18 MB parsed, ~21 MB of rows). Job
/// slots do not bound that — a finished job gives its slot back before its result is downloaded,
/// so that the next job runs meanwhile — and neither does the sink's flush policy, which acts on
/// whole pages: three results of one resource used to be resident together, more with several
/// exporting resources, and where they overlapped moved the peak RSS of a run by ±10 MB. Holding
/// one at a time bounds it by design; jobs still run (and finish) while a result is loaded.
struct ResultBudget: Sendable {
    /// The budget of this process.
    static let process = ResultBudget(results: 1)

    private let slots: JobSlots

    init(results: Int) { slots = JobSlots(capacity: results) }

    /// A result this large or larger is held within the budget, and its freed memory handed back.
    static let large = 1 << 20

    /// Loads one result through `body` (download, stage, write; returns the result's bytes) once the
    /// budget has room for it — unless every result the resource loaded so far (`largest`) was small:
    /// waiting one by one costs small results more time (scale 5: ~8 % of the forecast's wall) than
    /// their memory is worth. The first result of a resource always waits.
    func load(_ key: WorkItemKey, largest: LockedBox<Int?>, _ body: () async throws -> Int) async throws {
        let small = largest.withLock { $0.map { $0 < Self.large } ?? false }
        let bytes = small ? try await body() : try await holding(key, body)
        largest.withLock { $0 = max($0 ?? 0, bytes) }
    }

    /// Runs `body` (download, stage and write one result) once the budget has room for it.
    private func holding<T>(_ key: WorkItemKey, _ body: () async throws -> T) async throws -> T {
        try await slots.acquire(key)
        do {
            let value = try await body()
            FreedMemory.giveBack()
            await slots.release()
            return value
        } catch {
            await slots.release()
            throw error
        }
    }
}
