@testable import ConnectorKit
import APISandbox
import Foundation
import Testing

/// A resource whose pages arrive faster than the destination writes them waits for the write in
/// flight instead of queueing a flush per page: the queued flushes were held in memory at once.
@Suite("Flush backpressure")
struct FlushBackpressureTests {
    /// A server whose every page is 2 MB of JSON (one record with a long text), so that each makes
    /// a flush due, logging the paths asked for; and a project reading `pages` of them, one per
    /// work item, `concurrency` at a time.
    /// Item `broken`, if any, answers a body that is not JSON.
    static func pages(_ pages: Int, concurrency: Int, log: LockedList<String>, broken: Int? = nil) async throws -> (
        LoopbackHTTPServer, ProjectSpec
    ) {
        let padding = String(repeating: "x", count: 2 << 20)
        let server = try await LoopbackHTTPServer.start { request in
            log.append(request.path)
            if let broken, request.path == "/items/\(broken)" {
                return SandboxResponse(status: 200, body: Array("<html>".utf8))
            }
            let body = #"{"items":[{"path":"\#(request.path)","pad":"\#(padding)"}]}"#
            return SandboxResponse(status: 200, body: Array(body.utf8))
        }
        let resource = """
                  - name: items
                    endpoint:
                      path: items/{n}
                      partitions: {n: {type: list, values: "\((1...pages).map(String.init).joined(separator: ","))"}}
                      data_selector: items
                      paginator: single_page
            """
        let project = try TestPipeline.project(
            baseURL: server.baseURL, resourceYAML: resource, client: "      max_concurrency: \(concurrency)")
        return (server, project)
    }

    @Test("pages that finish during a slow write are flushed together, after it, and all arrive")
    func pagesWaitForTheWriteInFlight() async throws {
        let pages = 8
        let (server, project) = try await Self.pages(pages, concurrency: 4, log: LockedList())
        let destination = SlowWriteDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        #expect(report.outcomes.first?.status == .succeeded)
        let writes = destination.writtenRows.filter { $0 > 0 }
        #expect(writes.reduce(0, +) == pages)
        // One flush per page queued behind the slow write before; now pages that finished
        // meanwhile go in one write after it.
        #expect(writes.count < pages, "rows per write: \(writes)")
    }

    @Test("the page whose flush is due goes on to the next request while its rows are written")
    func flushingPageDoesNotWaitForItsWrite() async throws {
        let log = LockedList<String>()
        let (server, project) = try await Self.pages(3, concurrency: 1, log: log)
        // The first write lasts until the second page was asked for, at most 10 s (a page that
        // waits for its write never asks meanwhile: the test then ends too, and fails); a fixed
        // wait failed on a loaded machine, where the next request took longer than the write.
        let destination = ScriptedWriteDestination(requests: log) { _ in
            for _ in 0..<1000 where log.items.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        }
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        #expect(report.outcomes.first?.status == .succeeded)
        #expect(destination.stagedRows["items"] == 3)
        let first = destination.logsAtWriteEnds(of: "items").first ?? []
        #expect(first.count >= 2, "requests when the first write ended: \(first)")
    }

    @Test("a resource that fails while a write it started is under way returns only after that write")
    func failedResourceWaitsForItsWrite() async throws {
        let log = LockedList<String>()
        let (server, project) = try await Self.pages(3, concurrency: 1, log: log, broken: 2)
        let destination = ScriptedWriteDestination(requests: log) { _ in try await Task.sleep(for: .milliseconds(300)) }
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        #expect(report.outcomes.first?.status == .failed)
        // The first page's write started before the second page failed the resource; the load
        // was ended (aborted here, a publish of other resources elsewhere) only once it had finished.
        #expect(destination.startedWrites >= 1)
        #expect(destination.endedWrites == destination.startedWrites)
    }
}

/// Keeps only how many rows each write brought, and takes 200 ms per write.
final class SlowWriteDestination: Destination, @unchecked Sendable {
    let name = "slow"
    let capabilities = DestinationCapabilities(
        types: [:], maxIdentifierLength: nil, transactionalDDL: true, mergeStrategy: .deleteInsert, supportsSQL: false)
    private let written = LockedList<Int>()
    var writtenRows: [Int] { written.items }

    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession { Session(written: written) }
    func openDataset(pipeline: String) async throws -> any DatasetReader {
        throw TestPipeline.Failure(message: "not readable")
    }
    func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }

    actor Session: LoadSession {
        let written: LockedList<Int>
        init(written: LockedList<Int>) { self.written = written }
        func existingTables() async throws -> [String: [Column]] { [:] }
        func state(resource: String) async throws -> ResourceState { ResourceState() }
        func saveState(_ change: StateChange, resource: String) async throws {}
        func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
            try await Task.sleep(for: .milliseconds(200))
            written.append(batches.reduce(0) { $0 + $1.rows.rows.count })
        }
        func commit(_ load: LoadSummary) async throws {}
        func abort() async {}
    }
}
