import ArgumentParser

@main
struct Connector: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connector",
        abstract: "Load API data described in sources.yaml into your own database.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, DemoCommand.self, ListCommand.self, ValidateCommand.self, ShowCommand.self,
            QueryCommand.self, SchemaCommand.self, StateCommand.self, LoadsCommand.self, ResetCommand.self,
            ReplayCommand.self,
            SandboxCommand.self, InitOpenAPICommand.self,
        ]
    )
}
