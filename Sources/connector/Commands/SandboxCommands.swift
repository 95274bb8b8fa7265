import ArgumentParser
import APISandbox
import ConnectorKit
import Foundation

extension FaultMode: ExpressibleByArgument {}

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Serve the offline sandbox API on 127.0.0.1 (see shared API notes).")
    @Option(help: "Port (0 picks a free one).") var port: Int = 8089
    @Option(help: "Data size multiplier.") var scale: Int = 1
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 42
    @Option(help: "Injected faults: none or flaky.") var faults: FaultMode = .none

    func run() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: scale, seed: seed, faults: faults), port: port, threads: 2)
        print("sandbox on \(server.baseURL) (scale \(scale), seed \(seed), faults \(faults.rawValue)); point sources.yaml at it with:")
        for (name, value) in server.environment.sorted(by: { $0.key < $1.key }) { print("  export \(name)=\(value)") }
        try await server.wait()
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Start the sandbox in-process, run every pipeline against it, print what was loaded.")
    @OptionGroup var options: ProjectOptions
    @Option(help: "Data size multiplier.") var scale: Int = 1
    @Option(help: "Injected faults: none or flaky.") var faults: FaultMode = .none
    @Option(help: "Destination name from destinations/ (default: each pipeline's own).") var destination: String?
    @Argument(help: "Pipelines (default: every pipeline in sources.yaml).")
    var pipelines: [String] = []

    func run() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(scale: scale, faults: faults), threads: 2)
        ProgressPrinter.err("sandbox on \(server.baseURL) (scale \(scale), faults \(faults.rawValue))")
        let project = try options.load(environment: server.environment)
        let names = pipelines.isEmpty ? project.pipelines.map(\.name) : pipelines
        let ok = try await Runs.execute(names, project: project, destination: destination, resources: [], json: false)
        await server.shutdown()
        for name in names { print(try await Summary.render(name, project: project, destination: destination)) }
        if !ok { throw ExitCode(1) }
    }
}

