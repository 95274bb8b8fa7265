import ArgumentParser
import APISandbox
import ConnectorKit
import Foundation

extension FaultMode: ExpressibleByArgument {}
extension JobStatusShape: ExpressibleByArgument {}
extension JobListShape: ExpressibleByArgument {}

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: "Serve the offline sandbox API on 127.0.0.1 (see shared API notes).")
    @Option(
        help: ArgumentHelp(
            "Address to listen on. Keep 127.0.0.1 unless the address exists only where it may be reached (the "
                + "network-namespace test binds one inside its private namespaces).", valueName: "ADDRESS"))
    var host = "127.0.0.1"
    @Option(help: "Port of the core API (0 picks a free one).") var port: Int = 8089
    @Option(help: "Port of the Copilot API, a separate host in production (0 picks a free one).") var copilotPort: Int =
        8090
    @Option(help: "Data size multiplier.") var scale: Int = 1
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 42
    @Option(help: "Accept only this tenant's keys (NAME-api-key, …; printed below) instead of the demo keys.")
    var tenant: String?
    @Option(help: "Injected faults: none or flaky.") var faults: FaultMode = .none
    @Option(help: "Export job status: wrapped ({\"job\": {…}}) or flat (as the API reference shows it).")
    var jobStatusShape: JobStatusShape = .wrapped
    @Option(help: "Export job list: array (as the API reference shows it) or object ({\"jobs\": […]}).")
    var jobListShape: JobListShape = .array
    @Option(
        help: "How long every answer waits: seconds (0.05), or a range drawn from by seed (80-300ms, 0.1-0.3s).",
        transform: { text in
            guard let range = PacingConfiguration.latencyRange(text) else {
                throw ValidationError("--latency: '\(text)' is not seconds or a range like 80-300ms")
            }
            return range
        })
    var latency: ClosedRange<Double> = 0...0
    @Option(help: "Requests admitted per second per host; over it, 429 with Retry-After (default: no limit).")
    var rateLimit: Double?
    @Option(help: "Requests a host admits at once after a quiet spell (default: one second's worth).") var burst: Int?
    @Option(help: "Requests a host admits per week; past it, 429 quota_exceeded (default: no quota).")
    var weeklyQuota: Int?
    @Flag(help: "Send X-RateLimit-Limit/-Remaining/-Reset with every answer of a rate-limited host.")
    var rateLimitHeaders = false

    func run() async throws {
        // Line by line even into a file or pipe (`connector sandbox > log`): it runs until killed,
        // so a block-buffered banner would never be written.
        StandardOutput.lineBuffered()
        var configuration = SandboxConfiguration(
            scale: scale, seed: seed, faults: faults, credentials: tenant.map(SandboxCredentials.tenant) ?? .demo)
        configuration.jobStatusShape = jobStatusShape
        configuration.jobListShape = jobListShape
        configuration.pacing = PacingConfiguration(
            latency: latency, requestsPerSecond: rateLimit, burst: burst, weeklyQuota: weeklyQuota,
            rateLimitHeaders: rateLimitHeaders)
        let server = try await SandboxServer.start(
            configuration, host: host, port: port, copilotPort: copilotPort, threads: 2)
        print(
            "sandbox on \(server.baseURL) and \(server.copilotBaseURL) (scale \(scale), seed \(seed), faults \(faults.rawValue)); point sources.yaml at it with:"
        )
        for (name, value) in server.environment.sorted(by: { $0.key < $1.key }) { print("  export \(name)=\(value)") }
        try await server.wait()
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the sandbox in-process, run every pipeline against it, print what was loaded.")
    @OptionGroup var options: ProjectOptions
    @Option(help: "Data size multiplier.") var scale: Int = 1
    @Option(help: "Injected faults: none or flaky.") var faults: FaultMode = .none
    @Option(help: "Destination name from destinations/ (default: each pipeline's own).") var destination: String?
    @Flag(help: "Compare every loaded table with the counts the sandbox's generator serves; exit 1 on a difference.")
    var verify = false
    @Argument(help: "Pipelines (default: every pipeline in sources.yaml).")
    var pipelines: [String] = []
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: scale, faults: faults), threads: 2)
        ProgressPrinter.err("sandbox on \(server.baseURL) (scale \(scale), faults \(faults.rawValue))")
        let project = try options.load(environment: server.environment)
        let names = pipelines.isEmpty ? project.pipelines.map(\.name) : pipelines
        let destinations = options.destinations(project, demo: true)
        let ok = try await Runs.execute(
            names, project: project, destinations: destinations, destination: destination,
            settings: RunSettings(output: output))
        await server.shutdown()
        for name in names {
            print(try await Summary.render(name, destinations: destinations, destination: destination))
        }
        print(
            "the demo's datasets are apart from real runs'; inspect them with --demo, e.g. "
                + "connector query --demo \(names.first ?? "PIPELINE") \"SELECT count(*) FROM …\"")
        if verify,
            try await !Self.verify(
                names, project: project, destinations: destinations, destination: destination,
                expected: server.api.dataset.expectedCounts())
        {
            throw ExitCode(1)
        }
        if !ok { throw ExitCode(1) }
    }

    /// Loaded counts against the generator's, for the tables the generator knows.
    static func verify(
        _ pipelines: [String], project: ProjectSpec, destinations: ProjectDestinations, destination: String?,
        expected: [String: Int]
    ) async throws -> Bool {
        var loaded: [String: Int] = [:]
        for name in pipelines {
            let target = try destinations.forPipeline(name, override: destination)
            let dataset = try await target.openDataset(pipeline: name)
            for t in try await dataset.tables() { loaded[t.name] = t.rows }
            await dataset.close()
        }
        var rows: [[String]] = [["table", "loaded", "served", ""]]
        var same = true
        let roots = pipelines.compactMap { project.pipeline(named: $0) }.compactMap { project.source(named: $0.source) }
            .flatMap(\.resources).flatMap { r in r.tables.isEmpty ? [r.name] : r.tables.map(\.name) }
        let mine = expected.filter { e in roots.contains { e.key == $0 || e.key.hasPrefix($0 + "__") } }
        for (table, count) in mine.sorted(by: { $0.key < $1.key }) {
            let ok = loaded[table] == count
            same = same && ok
            rows.append([table, loaded[table].map(String.init) ?? "-", String(count), ok ? "ok" : "DIFFERENT"])
        }
        print("verify against the sandbox's generator:\n" + TextTable.render(rows))
        return same
    }
}
