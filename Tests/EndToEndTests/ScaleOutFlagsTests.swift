import APISandbox
import Foundation
import Testing

/// The flags of many-process runs on the real binary, without PostgreSQL: `plan`, `--var`,
/// `--dataset` on SQLite, and the errors for what they cannot do.
@Suite("plan, --shard, --dataset and --var on the command line")
struct ScaleOutFlagsTests {
    @Test("plan lists partitions × --var values without fetching; --json is parseable")
    func planFromVariables() throws {
        let project = temporaryDirectory("plan")
        try copyProject(to: project)
        // No API at this address: a plan that fetched anything would fail.
        let env = ["CLARI_API_BASE": "http://127.0.0.1:9", "CLARI_API_KEY": "k"]
        let text = try runConnector(
            ["plan", "clari_forecast", "--project", project, "--var", "CLARI_FORECAST_IDS=11,22"], in: project,
            environment: env)
        #expect(text.status == 0, "\(text.errors)")
        #expect(text.output.hasPrefix("clari_forecast (all units): 10 unit(s)"), "\(text.output)")
        #expect(text.output.contains("forecast_export  forecast_id=22,time_period="))
        let json = try runConnector(
            ["plan", "clari_core", "--project", project, "--json", "--shard", "JOB_COMPLETION_INDEX/2"], in: project,
            environment: env.merging(["JOB_COMPLETION_INDEX": "1"]) { $1 })
        let plans = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(plans?.first?["scope"] as? String == "shard 1/2", "\(json.output) \(json.errors)")
    }

    @Test("--dataset NAME loads data/NAME.sqlite and reads it back with show --dataset; nothing in the default file")
    func datasetOnSQLite() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let project = temporaryDirectory("dataset")
        try copyProject(to: project)
        let run = try runConnector(
            ["run", "clari_core", "--project", project, "--dataset", "acme", "--resource", "audit_events"],
            in: project, environment: server.environment)
        await server.shutdown()
        #expect(run.status == 0, "\(run.errors)")
        #expect(FileManager.default.fileExists(atPath: project + "/data/acme.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: project + "/data/clari_core.sqlite"))
        let shown = try runConnector(["show", "clari_core", "--project", project, "--dataset", "acme"], in: project)
        #expect(shown.output.contains("audit_events"), "\(shown.output) \(shown.errors)")
    }

    @Test(
        "bad --shard, --partition, --dataset and --var, and --full-refresh with --shard, fail naming the problem",
        arguments: [
            (["--shard", "4/4"], "0 ≤ I < N"), (["--shard", "NOPE/4"], "neither a number"),
            (["--partition", "window"], "expected KEY=VALUE"), (["--partition", "region=eu"], "partitions: window"),
            (["--dataset", "../etc"], "letters, digits"), (["--var", "=x"], "expected KEY=VALUE"),
            (["--shard", "0/2", "--full-refresh"], "--full-refresh cannot be combined"),
            (["--take-over-after", "soon"], "expected a duration like 30s, 10m"),
            (["--shard", "0/2", "--take-over-after", "10m"], "--take-over-after needs a PostgreSQL destination"),
        ])
    func badFlags(_ flags: [String], _ message: String) throws {
        let project = temporaryDirectory("badflags")
        try copyProject(to: project)
        let run = try runConnector(
            ["run", "clari_copilot", "--project", project] + flags, in: project,
            environment: ["CLARI_COPILOT_BASE": "http://127.0.0.1:9"])
        #expect(run.status != 0)
        #expect(run.errors.contains(message), "\(run.errors)")
    }
}
