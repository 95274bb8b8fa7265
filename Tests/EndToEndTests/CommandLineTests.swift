import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// The `connector` binary as a user meets it: where data goes, what the demo leaves behind.
@Suite("Command line", .serialized)
struct CommandLineTests {
    /// `initial_value` of audit_events in sources.yaml: where a run without state starts.
    static let auditEventsStart = "dateFrom=" + URLText.encode("2024-01-01T00:00:00Z")

    @Test(
        "demo loads apart: a real run afterwards asks for full history and holds no demo rows; --demo inspects the demo"
    )
    func demoIsApart() async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: connectorBinary),
            "build the connector first (scripts/test does)")
        let project = temporaryDirectory("demo-apart")
        try copyProject(to: project)
        let demo = try runConnector(["demo", "--project", project, "clari_core"], in: project)
        #expect(demo.status == 0, "\(demo.errors)")
        #expect(FileManager.default.fileExists(atPath: project + "/data/demo/clari_core.sqlite"))

        let server = try await SandboxServer.start(SandboxConfiguration(seed: 7))  // another API, other data
        server.api.clearRequestLog()
        let real = try runConnector(
            ["run", "--project", project, "clari_core", "--resource", "audit_events"], in: project,
            environment: server.environment)
        let requests = server.api.requestLog.filter { $0.contains("audit/events") }
        let served = server.api.dataset.auditEventCount
        await server.shutdown()
        #expect(real.status == 0, "\(real.errors)")
        #expect(
            requests.first?.contains(Self.auditEventsStart) == true,
            "the real run must start from initial_value: \(requests)")

        let realData = SQLiteDestination(pathTemplate: project + "/data/{pipeline}.sqlite")
        #expect(try await tableCounts(realData, "clari_core")["audit_events"] == served)
        #expect(try await scalar(realData, "clari_core", "SELECT count(*) FROM _connector_loads") == "1")

        let demoData = SQLiteDestination(pathTemplate: project + "/data/demo/{pipeline}.sqlite")
        let demoEvents = try #require(try await tableCounts(demoData, "clari_core")["audit_events"])
        let shown = try runConnector(["show", "--demo", "--project", project, "clari_core"], in: project)
        #expect(shown.status == 0, "\(shown.errors)")
        #expect(shown.output.contains("demo"))
        #expect(
            shown.output.split(separator: "\n").contains {
                $0.hasPrefix("audit_events ") && $0.hasSuffix(" \(demoEvents)")
            })
        let queried = try runConnector(
            ["query", "--demo", "--project", project, "clari_core", "SELECT count(*) AS n FROM audit_events"],
            in: project)
        #expect(queried.output.contains(String(demoEvents)), "\(queried.output)\(queried.errors)")
    }

    @Test("demo into the files destination writes in a demo/ folder beside the real datasets")
    func demoFilesAreApart() throws {
        let project = temporaryDirectory("demo-files")
        try copyProject(to: project)
        let demo = try runConnector(
            ["demo", "--project", project, "--destination", "files", "clari_forecast"], in: project)
        #expect(demo.status == 0, "\(demo.errors)")
        #expect(FileManager.default.fileExists(atPath: project + "/data/files/demo/clari_forecast/_loads"))
        #expect(!FileManager.default.fileExists(atPath: project + "/data/files/clari_forecast"))
    }

    @Test("--project DIR keeps data/ in DIR, whatever the working directory")
    func projectFolderHoldsData() async throws {
        let project = temporaryDirectory("project-dir")
        try copyProject(to: project)
        let elsewhere = temporaryDirectory("project-dir-cwd")
        let server = try await SandboxServer.start(SandboxConfiguration())
        let run = try runConnector(
            ["run", "--project", project, "clari_copilot", "--resource", "users"], in: elsewhere,
            environment: server.environment)
        await server.shutdown()
        #expect(run.status == 0, "\(run.errors)")
        #expect(FileManager.default.fileExists(atPath: project + "/data/clari_copilot.sqlite"))
        #expect(
            !FileManager.default.fileExists(atPath: elsewhere + "/data"), "nothing is written in the working directory")
        let shown = try runConnector(["show", "--project", project, "clari_copilot"], in: elsewhere)
        #expect(shown.output.contains("users"), "\(shown.output)\(shown.errors)")
    }

    @Test(
        "an unknown pipeline fails and lists the pipelines",
        arguments: [
            ["show", "nope"], ["run", "nope"], ["schema", "nope"], ["state", "nope"], ["loads", "nope"],
            ["query", "nope", "SELECT 1"], ["reset", "nope"],
        ])
    func unknownPipeline(_ arguments: [String]) throws {
        let run = try runConnector(
            arguments + ["--project", repositoryRoot], in: temporaryDirectory("unknown-pipeline"))
        #expect(run.status != 0)
        #expect(
            run.errors.contains("no pipeline named 'nope'; pipelines: clari_core, clari_copilot, clari_forecast"),
            "\(run.errors)")
    }

    @Test("--version prints a version")
    func version() throws {
        let run = try runConnector(["--version"], in: temporaryDirectory("version"))
        #expect(run.status == 0)
        #expect(run.output.split(separator: ".").count == 3, "\(run.output)")
    }

    @Test("sandbox > file: the banner reaches the file while the sandbox runs")
    func sandboxOutputIsLineBuffered() async throws {
        let output = temporaryDirectory("sandbox-output") + "/sandbox.log"
        FileManager.default.createFile(atPath: output, contents: nil)
        let sandbox = Process()
        sandbox.executableURL = URL(fileURLWithPath: connectorBinary)
        sandbox.arguments = ["sandbox", "--port", "0", "--copilot-port", "0"]
        sandbox.standardOutput = FileHandle(forWritingAtPath: output)
        sandbox.standardError = FileHandle.nullDevice
        try sandbox.run()
        defer { sandbox.terminate(); sandbox.waitUntilExit() }
        var text = ""
        for _ in 0..<100 where !text.contains("export CLARI_API_BASE=") {  // at most 10 s
            try await Task.sleep(for: .milliseconds(100))
            text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }
        #expect(sandbox.isRunning)
        #expect(text.contains("export CLARI_API_BASE=http://127.0.0.1:"), "\(text)")
    }
}
