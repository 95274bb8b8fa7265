import ArgumentParser
import ClariSandbox
import ConnectorKit
import Foundation

extension FaultMode: ExpressibleByArgument {}

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Serve the offline Clari-compatible API on 127.0.0.1.")
    @Option(help: "Port (0 picks a free one).") var port: Int = 8089
    @Option(help: "Data size multiplier.") var scale: Int = 1
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 42
    @Option(help: "Injected faults: none or flaky.") var faults: FaultMode = .none

    func run() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: scale, seed: seed, faults: faults), port: port, threads: 2)
        let keys = SandboxCredentials.demo
        print("""
            Clari sandbox on \(server.baseURL) (scale \(scale), seed \(seed), faults \(faults.rawValue))
              export CLARI_API_BASE=\(server.baseURL)
              export CLARI_COPILOT_BASE=\(server.baseURL)/copilot
              export CLARI_API_KEY=\(keys.apiKey) CLARI_PARTNER_KEY=\(keys.partnerKey)
              export CLARI_COPILOT_API_KEY=\(keys.copilotKey) CLARI_COPILOT_API_PASSWORD=\(keys.copilotPassword)
              export CLARI_FORECAST_IDS=\(SandboxEnvironment.forecastIds) CLARI_INGEST_JOB_IDS=\(SandboxEnvironment.ingestIds)
            """)
        try await server.wait()
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Start the sandbox in-process, run every Clari pipeline against it, print what was loaded.")
    @OptionGroup var options: ProjectOptions
    @Option(help: "Data size multiplier.") var scale: Int = 1
    @Option(help: "Injected faults: none or flaky.") var faults: FaultMode = .none
    @Option(help: "Destination name from destinations/ (default: each pipeline's own).") var destination: String?
    @Argument(help: "Pipelines (default: clari_core clari_copilot clari_forecast).")
    var pipelines: [String] = ["clari_core", "clari_copilot", "clari_forecast"]

    func run() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: scale, faults: faults), threads: 2)
        ProgressPrinter.err("sandbox on \(server.baseURL) (scale \(scale), faults \(faults.rawValue))")
        let project = try options.load(environment: server.environment)
        let ok = try await Runs.execute(pipelines, project: project, destination: destination, resources: [], json: false)
        await server.shutdown()
        for name in pipelines { print(try await Summary.render(name, project: project, destination: destination)) }
        if !ok { throw ExitCode(1) }
    }
}

