import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `loads`, `state` and `show` read the files destination from its manifests and state file;
/// `query --format` prints CSV and JSON a program can read.
@Suite("Inspect commands", .serialized)
struct InspectCommandTests {
    @Test("loads, state and show answer for the files destination from its manifests")
    func filesDestination() async throws {
        let project = temporaryDirectory("files-inspect")
        try copyProject(to: project)
        let server = try await SandboxServer.start(SandboxConfiguration())
        let run = try runConnector(
            ["run", "--project", project, "clari_copilot", "--destination", "files", "--json"], in: project,
            environment: server.environment)
        await server.shutdown()
        #expect(run.status == 0, "\(run.errors)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let loadId = try #require(report["load_id"] as? String)
        let rows = try #require(report["rows"] as? Int)
        let inspect = { (command: String) throws -> BinaryRun in
            try runConnector([command, "--project", project, "clari_copilot", "--destination", "files"], in: project)
        }

        let loads = try inspect("loads")
        #expect(loads.status == 0, "\(loads.errors)")
        let line = loads.output.split(separator: "\n").first { $0.hasPrefix(loadId) }
        #expect(line?.contains("succeeded  \(rows) ") == true, "loads: \(loads.output)")

        let state = try inspect("state")
        #expect(state.status == 0, "\(state.errors)")
        #expect(state.output.contains("calls") && state.output.contains("cursor"), "state: \(state.output)")

        let show = try runConnector(
            ["show", "--project", project, "clari_copilot", "--destination", "files"], in: project)
        #expect(show.output.contains("last load: \(loadId) succeeded — \(rows) rows"), "show: \(show.output)")
    }

    static let formats: [(format: String, expected: String)] = [
        ("csv", "x,y,n\r\n\"a,\"\"b\"\"\",,1"),
        ("json", #"[{"n":"1","x":"a,\"b\"","y":null}]"#),
        ("table", "x      y     n\n-----  ----  -\na,\"b\"  NULL  1"),
    ]

    @Test("query --format prints CSV (quoted, NULL empty), JSON (NULL as null) or a table", arguments: formats)
    func queryFormats(_ row: (format: String, expected: String)) throws {
        let project = temporaryDirectory("query-format")
        try copyProject(to: project)
        // An empty file is an empty SQLite database: the query needs no table.
        try FileManager.default.createDirectory(atPath: project + "/data", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: project + "/data/clari_core.sqlite", contents: nil)
        let out = try runConnector(
            [
                "query", "--project", project, "clari_core", #"SELECT 'a,"b"' AS x, NULL AS y, 1 AS n"#,
                "--format", row.format,
            ], in: project)
        #expect(out.status == 0, "\(out.errors)")
        #expect(out.output.trimmingCharacters(in: .newlines) == row.expected, "\(row.format): \(out.output)")
    }
}
