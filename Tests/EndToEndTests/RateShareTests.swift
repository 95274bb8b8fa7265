import APISandbox
import Foundation
import Testing

/// `--rate-share`: shards split each source's declared rate between them, so N shards against
/// an API that enforces the rate it declares are never refused (docs/scale-out.md, "Limits").
@Suite("--rate-share: shards share the declared rate limit", .serialized)
struct RateShareTests {
    /// 4 shards of `clari_copilot`'s calls at once (each its own SQLite dataset, so they do not
    /// wait for each other's lock) against a sandbox admitting 20 requests/s per host (a bucket
    /// of 20) — the rate sources.yaml declares; returns the 429s the sandbox answered and each
    /// shard's run. 132 monthly windows since 2016, one request each (most are empty): about 7 s
    /// at the shared 20/s, and long enough at 4 × 20/s that shards starting up to a second
    /// apart on a busy machine still overlap well past the bucket.
    static func fourShards(_ extra: [String]) async throws -> (limited: Int, runs: [BinaryRun]) {
        var configuration = SandboxConfiguration()
        configuration.pacing = PacingConfiguration(requestsPerSecond: 20)
        let server = try await SandboxServer.start(configuration)
        let project = temporaryDirectory("rateshare")
        try copyProject(to: project)
        let env = server.environment.merging(
            ["CLARI_RATE_LIMIT": "20", "CLARI_COPILOT_START": "2016-01-01T00:00:00Z"]) { $1 }
        let calls = ["run", "clari_copilot", "--project", project, "--resource", "calls"]
        let shard = { (i: Int) in calls + ["--dataset", "s\(i)", "--shard", "\(i)/4"] }
        let runs = try runConnectors((0..<4).map { (shard($0) + extra, env) }, in: project)
        let limited = server.api.pacingCounts.values.reduce(0) { $0 + $1.limited }
        await server.shutdown()
        return (limited, runs)
    }

    @Test("4 shards with the automatic share (1/4 each): not one 429, and the header tells the budget")
    func automaticShareMeetsNo429() async throws {
        let (limited, runs) = try await Self.fourShards([])
        for (i, run) in runs.enumerated() { #expect(run.status == 0, "shard \(i): \(run.errors)") }
        #expect(limited == 0)
        #expect(
            runs[1].errors.contains(
                "rate budget: 1/4 of each declared limit (--rate-share 1/4, --shard 1/4): clari_copilot 5 requests/s, "
                    + "1 at once"), "\(runs[1].errors)")
    }

    /// The check above can fail: each shard using the whole declared rate is refused.
    @Test("4 shards each using the whole declared rate (--rate-share 1) are answered 429")
    func wholeShareMeets429() async throws {
        let (limited, runs) = try await Self.fourShards(["--rate-share", "1"])
        for (i, run) in runs.enumerated() { #expect(run.status == 0, "shard \(i) retries its 429s: \(run.errors)") }
        #expect(limited > 0)
    }

    @Test(
        "bad --rate-share values fail naming what is expected",
        arguments: ["0", "1.5", "2/1", "1/0", "a quarter"])
    func badShare(_ value: String) throws {
        let project = temporaryDirectory("badshare")
        try copyProject(to: project)
        let run = try runConnector(
            ["run", "clari_copilot", "--project", project, "--rate-share", value], in: project,
            environment: ["CLARI_COPILOT_BASE": "http://127.0.0.1:9"])
        #expect(run.status != 0)
        #expect(run.errors.contains("--rate-share '\(value)': expected auto, a fraction like 1/4"), "\(run.errors)")
    }
}
