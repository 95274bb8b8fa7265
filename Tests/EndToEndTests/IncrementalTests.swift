import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// Second runs against a sandbox that changed in between: they ask only for what is new
/// (checked on the sandbox's request log), load only the difference, and merge it.
@Suite("Incremental loading and merge", .serialized)
struct IncrementalTests {
    @Test("audit events: the second run starts at the cursor and loads only the new events")
    func auditEvents() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let project = try projectSpec(for: server)
        let runner = PipelineRunner(project: project, destination: destination)
        _ = try await runner.run("clari_core", resources: ["audit_events"])
        let cursor = try #require(
            try await scalar(
                destination, "clari_core", "SELECT value FROM _connector_state WHERE resource = 'audit_events'"))
        server.api.mutate()
        server.api.clearRequestLog()
        let second = try await runner.run("clari_core", resources: ["audit_events"])
        let log = server.api.requestLog
        let data = server.api.dataset
        await server.shutdown()
        #expect(log.first?.contains("dateFrom=\(URLText.encode(cursor))") == true, "\(log)")
        #expect(log.count == 1)
        // 50 new events plus the one at the cursor itself (dateFrom is inclusive), merged.
        #expect(second.outcomes.first?.rows["audit_events"] == 51)
        let counts = try await tableCounts(destination, "clari_core")
        #expect(counts["audit_events"] == data.auditEventCount)
        let distinct = try await scalar(
            destination, "clari_core",
            "SELECT count(*) FROM (SELECT DISTINCT event_timestamp, actor_id, session_id, event FROM audit_events)")
        #expect(distinct == String(data.auditEventCount))
    }

    @Test("calls: changed calls are re-read per window and merged; details only for them")
    func calls() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let project = try projectSpec(for: server, extra: ["CLARI_COPILOT_LOOKBACK": "0s"])
        let runner = PipelineRunner(project: project, destination: destination)
        _ = try await runner.run("clari_copilot", resources: ["call_details"])
        let before = try await tableCounts(destination, "clari_copilot")
        server.api.mutate()
        server.api.clearRequestLog()
        let second = try await runner.run("clari_copilot", resources: ["call_details"])
        let log = server.api.requestLog
        let data = server.api.dataset
        await server.shutdown()
        let changed = (0..<data.callCount).filter { $0 % 10 == 1 }
        let calls = second.outcomes.first { $0.resource == "calls" }
        #expect(calls?.rows["calls"] == changed.count)
        #expect(log.filter { $0.contains("/call-details") }.count == changed.count)
        let after = try await tableCounts(destination, "clari_copilot")
        #expect(after["calls"] == data.callCount)
        #expect(after == before, "merging changed calls must not add rows")
        let titles = try await scalar(
            destination, "clari_copilot", "SELECT count(*) FROM calls WHERE title LIKE '% (v1)'")
        #expect(titles == String(changed.count))
        let windowsWithCursor = try await scalar(
            destination, "clari_copilot", "SELECT count(*) FROM _connector_state WHERE resource = 'calls'")
        let cursors = Int(windowsWithCursor ?? "0") ?? 0
        #expect(cursors > 1, "one cursor per window")
        // Every window that had calls asked only for calls modified after its cursor.
        #expect(log.filter { $0.contains("/calls?") && $0.contains("filterModifiedGt=") }.count == cursors)
    }

    @Test("reset forgets the cursor; a full refresh re-reads everything and replaces the table")
    func resetAndFullRefresh() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let dir = temporaryDirectory()
        let destination = SQLiteDestination(pathTemplate: dir + "/{pipeline}.sqlite")
        let runner = PipelineRunner(project: try projectSpec(for: server), destination: destination)
        _ = try await runner.run("clari_core", resources: ["audit_events"])
        #expect(try await destination.resetState(pipeline: "clari_core", resource: "audit_events") == 1)
        server.api.clearRequestLog()
        _ = try await runner.run("clari_core", resources: ["audit_events"])
        #expect(
            server.api.requestLog.first?.contains("dateFrom=2024-01-01") == true,
            "after reset the run starts at initial_value")
        _ = try await destination.openDataset(pipeline: "clari_core").query("UPDATE audit_events SET event = 'stale'")
        let refreshed = try await runner.run("clari_core", resources: ["audit_events"], fullRefresh: true)
        let data = server.api.dataset
        await server.shutdown()
        #expect(refreshed.outcomes.first?.rows["audit_events"] == data.auditEventCount)
        #expect(
            try await scalar(destination, "clari_core", "SELECT count(*) FROM audit_events")
                == String(data.auditEventCount))
        #expect(
            try await scalar(destination, "clari_core", "SELECT count(*) FROM audit_events WHERE event = 'stale'")
                == "0")
        #expect(
            try await scalar(destination, "clari_core", "SELECT count(DISTINCT _connector_load_id) FROM audit_events")
                == "1")
    }
}
