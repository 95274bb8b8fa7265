@testable import ConnectorKit
import APISandbox
import Foundation
import Testing

/// Export results are held one at a time: the next is downloaded only once the last one's rows
/// are written. Job slots alone let every finished job's result be downloaded, parsed and
/// normalized at once (three forecast exports of ~45 MB each in memory at scale 100).
@Suite("Export results in memory")
struct ResultBudgetTests {
    @Test("with three jobs finishing together, each result is downloaded after the last one is written")
    func oneResultAtATime() async throws {
        let items = ["a", "b", "c", "d", "e"]
        let writes = SlowWriteDestination()
        // Results downloaded but not yet written, seen at each download (the new one included).
        let resident = LockedList<Int>()
        let downloads = LockedList<String>()
        // Results of ResultBudget.large bytes or more: smaller ones load without waiting.
        let padding = String(repeating: "x", count: ResultBudget.large)
        let server = try await LoopbackHTTPServer.start { request in
            let part = request.path.split(separator: "/").dropFirst().first.map(String.init) ?? "?"
            if request.method == "POST" {
                return SandboxResponse(status: 200, body: Array(#"{"jobId":"\#(part)"}"#.utf8))
            }
            guard request.path.hasSuffix("/result") else {
                return SandboxResponse(status: 200, body: Array(#"{"status":"DONE"}"#.utf8))
            }
            downloads.append(part)
            resident.append(downloads.items.count - writes.writtenRows.filter { $0 > 0 }.count)
            return SandboxResponse(
                status: 200, body: Array(#"[{"id":"\#(part)","pad":"\#(padding)"},{"id":"\#(part)2"}]"#.utf8))
        }
        let resource = """
                  - name: export
                    endpoint:
                      method: POST
                      path: jobs/{part}
                      partitions: {part: {type: list, values: "\(items.joined(separator: ","))"}}
                    async_job:
                      job_id_path: jobId
                      max_concurrent: 3
                      poll: {path: "jobs/{job_id}", status_path: status, interval: 1ms, timeout: 10s,
                             completed: [DONE], failed: [FAILED]}
                      download: {path: "jobs/{job_id}/result"}
            """
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: resource)
        let report = try await PipelineRunner(project: project, destination: writes).run("test")
        await server.shutdown()
        #expect(report.outcomes.first?.status == .succeeded, "\(report.outcomes.first?.message ?? "")")
        #expect(Set(downloads.items) == Set(items))
        #expect(writes.writtenRows.reduce(0, +) == 2 * items.count, "every record written")
        // Before: the three results of jobs that finished together were downloaded while the first was written.
        #expect(resident.items.allSatisfy { $0 == 1 }, "results in memory at each download: \(resident.items)")
    }
}
