import APISandbox
import ConnectorKit
import Foundation
import PostgresDestination
import Testing

/// A Singer target as a destination (the real binary starts it): a fake target that records
/// how it was started, fake targets that fail, and pipelinewise-target-postgres from PyPI.
@Suite("Singer targets as destinations", .serialized)
struct SingerTargetTests {
    /// A target that prints the value of the last STATE it read, as a bare JSON line (what a
    /// real target does once it has loaded everything before it), after noting its arguments,
    /// its config file's mode and content.
    static let echoingTarget = """
        echo "$@" > started.txt; stat -c %a "$2" >> started.txt; cat "$2" >> started.txt
        grep '^{"type":"STATE"' | tail -n 1 | sed 's/^{"type":"STATE","value":\\(.*\\)}$/\\1/'
        """

    static func destination(_ program: String) -> String {
        """
        type: singer
        command: ["\(program)"]
        config: {token: "${SINGER_TARGET_TOKEN}", batch_size_rows: 500, quoted: "500"}
        state_dir: state/{pipeline}
        """
    }

    @Test("a confirming target: config in a private file only, the state saved after its echo")
    func confirmed() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let dir = temporaryDirectory()
        let target = try SingerTargets.script(Self.echoingTarget, in: dir, named: "echo-target")
        try SingerTargets.project(in: dir, destination: "fake", yaml: Self.destination(target))
        let secret = "s3cret-\(UUID().uuidString.prefix(6))"
        let run = try runConnector(
            ["run", "clari_core", "--destination", "fake", "--resource", "audit_events"], in: dir,
            environment: server.environment.merging(["SINGER_TARGET_TOKEN": secret]) { $1 })
        #expect(run.status == 0, "\(run.errors)")
        let started = try String(contentsOfFile: dir + "/started.txt", encoding: .utf8).split(separator: "\n")
        #expect(started.count == 3)
        #expect(started.first?.hasPrefix("--config /") == true && started.first?.contains(secret) == false)
        #expect(started.dropFirst().first == "600", "the config file is readable by its owner only")
        let config = try JSONSerialization.jsonObject(with: Data(started.last.map(String.init)?.utf8 ?? "".utf8))
        let values = try #require(config as? [String: Any])
        #expect(values["token"] as? String == secret && values["batch_size_rows"] as? Int == 500)
        #expect(values["quoted"] as? String == "500")
        let configPath = String(started.first?.dropFirst("--config ".count) ?? "")
        #expect(!FileManager.default.fileExists(atPath: configPath), "the config file is removed afterwards")
        #expect(!run.output.contains(secret) && !run.errors.contains(secret))
        let state = try String(contentsOfFile: dir + "/state/clari_core/state.json", encoding: .utf8)
        #expect(state.contains(#""audit_events":{"cursor":"#), "\(state)")
    }

    @Test(
        "a target that does not confirm: the run fails, connector's state stays as it was",
        arguments: [
            ("exits 3 mid-stream", "head -c 20000 > /dev/null; exit 3", "exited with status 3"),
            ("exits 0 without echoing the STATE", "cat > /dev/null", "did not echo the final STATE"),
            ("echoes an older STATE", #"cat > /dev/null; echo '{"bookmarks":{}}'"#, "did not echo"),
        ])
    func unconfirmed(name: String, script: String, says: String) async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let dir = temporaryDirectory()
        let good = try SingerTargets.script(Self.echoingTarget, in: dir, named: "good-target")
        let bad = try SingerTargets.script(script, in: dir, named: "bad-target")
        try SingerTargets.project(in: dir, destination: "good", yaml: Self.destination(good))
        try Self.destination(bad).write(toFile: dir + "/destinations/bad.yaml", atomically: true, encoding: .utf8)
        let environment = server.environment.merging(["SINGER_TARGET_TOKEN": "t"]) { $1 }
        let arguments = ["run", "clari_core", "--resource", "audit_events", "--resource", "admin_limits"]
        let first = try runConnector(arguments + ["--destination", "good"], in: dir, environment: environment)
        #expect(first.status == 0, "\(first.errors)")
        let statePath = dir + "/state/clari_core/state.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: statePath))
        server.api.mutate()
        let second = try runConnector(arguments + ["--destination", "bad"], in: dir, environment: environment)
        #expect(second.status != 0, "\(name): the run must fail")
        #expect(second.errors.contains(says), "\(name): \(second.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: statePath)) == before, "\(name): state changed")
    }

    @Test(
        "pipelinewise-target-postgres loads the Clari pipelines; the second run asks only for new data",
        .enabled(if: SingerTargets.postgres != nil, "pipelinewise-target-postgres not installed: scripts/test does it"),
        .enabled(
            if: ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] != nil, "needs scripts/with-postgres"))
    func pipelinewisePostgres() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"])
        let port = try #require(URLComponents(string: url)?.port)
        let schema = "singer_\(UUID().uuidString.prefix(6).lowercased())"
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let dir = temporaryDirectory()
        try SingerTargets.project(
            in: dir, destination: "pw",
            yaml: """
                type: singer
                command: ["\(try #require(SingerTargets.postgres))"]
                config: {host: 127.0.0.1, port: \(port), user: postgres, password: unused, dbname: postgres,
                         default_target_schema: \(schema), primary_key_required: false}
                """)
        let pipelines = ["clari_core", "clari_copilot", "clari_forecast"]
        let first = try runConnector(
            ["run"] + pipelines + ["--destination", "pw"], in: dir, environment: server.environment)
        #expect(first.status == 0, "\(first.errors)")
        let expected = server.api.dataset.expectedCounts()
        let counts = try await Self.counts(url: url, schema: schema)
        for table in expected.keys.sorted() {
            #expect(
                counts[table] == expected[table], "\(table): \(counts[table] ?? -1), sandbox \(expected[table] ?? -1)")
        }
        let state = try String(contentsOfFile: dir + "/data/singer/clari_core/state.json", encoding: .utf8)
        let cursor = try #require(try SingerStateText.cursor(of: "audit_events", in: #"{"value":\#(state)}"#))
        _ = try runAfterChange(
            server, ["run", "clari_core", "--resource", "audit_events", "--destination", "pw"], in: dir, cursor: cursor)
        let after = try await Self.counts(url: url, schema: schema)
        #expect(after["audit_events"] == server.api.dataset.auditEventCount, "upserted on the primary key")
    }

    /// Row counts of the tables in a PostgreSQL schema.
    static func counts(url: String, schema: String) async throws -> [String: Int] {
        let reader = try await PostgresDestination(url: url, dataset: schema).openDataset(pipeline: schema)
        let tables = try? await reader.tables()
        await reader.close()
        return Dictionary((tables ?? []).map { ($0.name, $0.rows) }) { $1 }
    }
}
