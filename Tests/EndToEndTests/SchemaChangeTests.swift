import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// Schema messages name only tables that exist afterwards.
@Suite("Schema change messages")
struct SchemaChangeTests {
    @Test("a table without rows is not announced as new (admin_limits' empty job-id lists), on any run")
    func emptyTablesAreNotNew() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory() + "/{pipeline}.sqlite")
        let runner = PipelineRunner(project: try projectSpec(for: server), destination: destination)
        let first = try await runner.run("clari_core", resources: ["admin_limits"])
        let second = try await runner.run("clari_core", resources: ["admin_limits"])
        await server.shutdown()
        let outcome = try #require(first.outcomes.first)
        #expect(outcome.rows["admin_limits__running_job_ids"] == 0, "the sandbox serves an empty list there")
        #expect(outcome.schemaChanges == ["new table admin_limits"])
        #expect(second.outcomes.first?.schemaChanges == [])
        let tables = try await tableCounts(destination, "clari_core")
        #expect(tables.keys.sorted() == ["admin_limits"])
    }
}
