import ConnectorKit
import ArgumentParser

/// The `connector` command line: every subcommand. The `connector` executable runs it; a package that adds
/// its own destinations runs it too, after registering them (see docs/destinations.md).
public struct Connector: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "connector",
        abstract: "Load API data described in sources.yaml into your own database.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, PlanCommand.self, DemoCommand.self, ListCommand.self, ValidateCommand.self, ShowCommand.self,
            QueryCommand.self, SchemaCommand.self, StateCommand.self, LoadsCommand.self, ResetCommand.self,
            ReplayCommand.self, InitCommand.self,
            DashboardCommand.self,
            ChecksCommand.self,
            SandboxCommand.self,
            TapCommand.self,
        ]
    )
}

extension Connector {
    /// Parses the process's arguments and runs the chosen subcommand, as `AsyncParsableCommand.main()`
    /// does; callable from another module's top-level code, where that overload is not the one picked.
    /// `destinations`: destination types of the calling package, selected by `type:` in
    /// `destinations/<name>.yaml` like the built-in ones (docs/destinations.md).
    public static func start(destinations: [any DestinationFactory] = []) async {
        RegisteredDestinations.register(destinations)
        AllocatorTuning.apply()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
