@testable import ConnectorKit
import APISandbox
import Foundation
import Testing

/// A child resource starts once its parent has read every record, not once the parent's last rows
/// are written; its writes wait for the parent's outcome, and fail when the parent fails.
@Suite("Children start before the parent's last write")
struct ChildStartTests {
    static let resources = """
              - name: parents
                endpoint: {path: parents, data_selector: items, paginator: single_page}
              - name: kids
                endpoint:
                  path: kids
                  params: {parent: {type: resolve, resource: parents, field: id}}
                  data_selector: items
                  paginator: single_page
        """

    /// Parents 1–3, each with two kids; every request is logged.
    static func server(_ log: LockedList<String>) async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer.start { request in
            log.append(request.path)
            let body =
                request.path.hasPrefix("/parents")
                ? #"{"items":[{"id":1},{"id":2},{"id":3}]}"#
                : #"{"items":[{"n":1},{"n":2}]}"#
            return SandboxResponse(status: 200, body: Array(body.utf8))
        }
    }

    /// Runs parents and kids; the parent's write lasts until a kid was asked for (at most 10 s, so
    /// that a run without the early start ends too), then fails when `parentWriteFails`.
    static func run(parentWriteFails: Bool) async throws -> (
        report: RunReport, log: LockedList<String>, destination: ScriptedWriteDestination
    ) {
        let log = LockedList<String>()
        let server = try await Self.server(log)
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: Self.resources)
        let destination = ScriptedWriteDestination(requests: log) { resource in
            guard resource == "parents" else { return }
            for _ in 0..<1000 where !log.items.contains(where: { $0.hasPrefix("/kids") }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            if parentWriteFails { throw TestPipeline.Failure(message: "disk full") }
        }
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        return (report, log, destination)
    }

    @Test("a child asks for its first page while the parent's last write is still under way")
    func childReadsDuringTheParentsLastWrite() async throws {
        let (report, log, destination) = try await Self.run(parentWriteFails: false)
        #expect(report.outcomes.map(\.status) == [.succeeded, .succeeded])
        #expect(log.items.filter { $0.hasPrefix("/kids") }.count == 3)
        // What the request log held when the parent's write ended tells the order.
        #expect(destination.logAtWriteEnd(of: "parents").contains { $0.hasPrefix("/kids") })
        // Every write of the child came after the parent's last.
        #expect(destination.writers.firstIndex(of: "kids") ?? -1 > destination.writers.lastIndex(of: "parents") ?? 0)
        #expect(destination.stagedRows["kids"] == 6)
    }

    @Test("when the parent's last write fails, the started child fails too and stages nothing")
    func childOfAParentWhoseLastWriteFails() async throws {
        let (report, log, destination) = try await Self.run(parentWriteFails: true)
        #expect(report.outcomes.map(\.status) == [.failed, .failed])
        #expect(report.outcomes.last?.message?.contains("parent resource 'parents' failed") == true)
        #expect(log.items.contains { $0.hasPrefix("/kids") }, "the child had started")
        #expect(!destination.writers.contains("kids"))
        #expect(destination.stagedRows["kids"] == nil)
        #expect(!report.committed)
    }
}

/// Logs which resource wrote when, runs `during` inside each write (it may wait or throw), and
/// keeps the rows staged per table by writes that succeeded.
final class ScriptedWriteDestination: Destination, @unchecked Sendable {
    let name = "scripted"
    let capabilities = DestinationCapabilities(
        types: [:], maxIdentifierLength: nil, transactionalDDL: true, mergeStrategy: .deleteInsert, supportsSQL: false)
    private let lock = NSLock()
    private var _writers: [String] = []
    private var _staged: [String: Int] = [:]
    private var _ends: [(resource: String, log: [String])] = []
    let during: @Sendable (String) async throws -> Void
    /// The test server's request log: what it held when each resource's write ended is kept.
    let requests: LockedList<String>

    init(requests: LockedList<String>, during: @escaping @Sendable (String) async throws -> Void) {
        self.requests = requests
        self.during = during
    }

    private var started = 0
    /// Writes begun, and ended (succeeded or failed), at the moment they are read.
    var startedWrites: Int { lock.withLock { started } }
    var endedWrites: Int { lock.withLock { ended } }
    private var ended = 0
    fileprivate func begin() { lock.withLock { started += 1 } }
    fileprivate func end() { lock.withLock { ended += 1 } }

    /// Resources in the order their writes succeeded.
    var writers: [String] { lock.withLock { _writers } }
    var stagedRows: [String: Int] { lock.withLock { _staged } }
    /// What the request log held as each of `resource`'s writes ended, in order.
    func logsAtWriteEnds(of resource: String) -> [[String]] {
        lock.withLock { _ends.filter { $0.resource == resource }.map(\.log) }
    }
    func logAtWriteEnd(of resource: String) -> [String] { logsAtWriteEnds(of: resource).last ?? [] }

    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession { Session(owner: self) }
    func openDataset(pipeline: String) async throws -> any DatasetReader {
        throw TestPipeline.Failure(message: "not readable")
    }
    func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }

    fileprivate func wrote(_ batches: [StagedBatch], resource: String, log: [String]) {
        lock.withLock {
            _writers.append(resource)
            _ends.append((resource, log))
            for b in batches { _staged[b.rows.table.name, default: 0] += b.rows.rows.count }
        }
    }

    struct Session: LoadSession {
        let owner: ScriptedWriteDestination
        func existingTables() async throws -> [String: [Column]] { [:] }
        func state(resource: String) async throws -> ResourceState { ResourceState() }
        func saveState(_ change: StateChange, resource: String) async throws {}
        func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
            owner.begin()
            defer { owner.end() }
            try await owner.during(checkpoint.resource)
            owner.wrote(batches, resource: checkpoint.resource, log: owner.requests.items)
        }
        func commit(_ load: LoadSummary) async throws {}
        func abort() async {}
    }
}
