import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// The real binary stopped with SIGINT or SIGTERM while one pipeline has committed and another
/// is still fetching: it says which is which, exits 130/143, publishes nothing half-loaded, and
/// the next run resumes the interrupted pipeline to a complete load.
@Suite("Interrupted runs", .serialized)
struct InterruptedRunTests {
    @Test(
        "SIGINT and SIGTERM: report committed and interrupted pipelines, exit 128+signal, resume next run",
        arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func interrupt(_ signal: Int32, _ status: Int32, _ name: String) async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: connectorBinary),
            "build the connector first (scripts/test does)")
        let server = try await SandboxServer.start(SandboxConfiguration(latency: 0.05))
        defer { Task { await server.shutdown() } }
        let project = temporaryDirectory("interrupt-\(name)")
        try copyProject(to: project)
        let output = project + "/out.txt"
        let errors = project + "/err.txt"
        for path in [output, errors] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let run = Process()
        run.executableURL = URL(fileURLWithPath: connectorBinary)
        run.arguments = ["run", "--project", project, "clari_core", "clari_copilot"]
        run.currentDirectoryURL = URL(fileURLWithPath: project)
        run.environment = ProcessInfo.processInfo.environment.merging(server.environment) { $1 }
        run.standardOutput = FileHandle(forWritingAtPath: output)
        run.standardError = FileHandle(forWritingAtPath: errors)
        try run.run()

        // clari_core is small and commits first (its report prints as soon as it ends); then
        // wait for clari_copilot to stage some pages with their checkpoints.
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let staging = project + "/data/clari_copilot.sqlite.staging"
        let deadline = ContinuousClock.now + .seconds(30)
        while run.isRunning, ContinuousClock.now < deadline {
            if read(output).contains("committed to sqlite"), await stagedPages(staging) >= 20 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(read(output).contains("clari_core: "), "clari_core's report prints when clari_core ends")
        #expect(run.isRunning, "clari_copilot should still be fetching")
        kill(run.processIdentifier, signal)
        run.waitUntilExit()

        #expect(run.terminationReason == .exit && run.terminationStatus == status)
        let said = read(errors)
        #expect(said.contains("\(name): stopped fetching"), "\(said)")
        #expect(said.contains("clari_core: committed"), "\(said)")
        #expect(said.contains("clari_copilot: interrupted") && said.contains("resumes where it stopped"), "\(said)")
        let data = SQLiteDestination(pathTemplate: project + "/data/{pipeline}.sqlite")
        #expect(try await scalar(data, "clari_core", "SELECT count(*) FROM _connector_loads") == "1")
        if FileManager.default.fileExists(atPath: data.path(for: "clari_copilot")) {
            #expect(
                try await tableCounts(data, "clari_copilot").isEmpty, "nothing of the interrupted pipeline is published"
            )
        }

        let rerun = try runConnector(
            ["run", "--project", project, "clari_copilot"], in: project, environment: server.environment)
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(rerun.output.contains("resumed the interrupted load"))
        let loaded = try await tableCounts(data, "clari_copilot")
        let expected = server.api.dataset.expectedCounts().filter { loaded.keys.contains($0.key) }
        #expect(expected.count >= 5)
        for (table, rows) in expected { #expect(loaded[table] == rows, "\(table)") }
    }
}
