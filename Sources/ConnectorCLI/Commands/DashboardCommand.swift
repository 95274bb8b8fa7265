import ArgumentParser
import ConnectorKit
import Dashboard

/// `connector dashboard`: the project's pipelines, tables, rows, SQL and load history in a
/// browser, served on 127.0.0.1 until stopped.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Browse pipelines, tables, rows, load history and state in a local web page (127.0.0.1 only).")
    @OptionGroup var options: ProjectOptions
    @Option(help: "Port on 127.0.0.1 (0 picks a free one).") var port: Int = 8765
    @Option(help: "Destination name for every pipeline (default: each pipeline's own).") var destination: String?
    @OptionGroup var demo: DemoDatasetOption

    func run() async throws {
        StandardOutput.lineBuffered()
        let project = try options.load()
        let destinations = options.destinations(project, demo: demo.demo)
        let pipelines = try project.pipelines.map { pipeline in
            DashboardProject.Pipeline(
                name: pipeline.name, destination: try destinations.forPipeline(pipeline.name, override: destination))
        }
        let app = DashboardApp(
            project: DashboardProject(pipelines: pipelines, secrets: project.secrets, demo: demo.demo))
        let server = try await DashboardServer.bind(port: port) { await app.respond($0) }
        print("dashboard on \(server.url) (Ctrl+C stops it)")
        try await server.serve()
    }
}
