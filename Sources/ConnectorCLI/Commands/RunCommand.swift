import ArgumentParser
import ConnectorKit
import FileDestination
import Foundation
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one or more pipelines.")

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Pipelines to run, in order (see `connector list`).")
    var pipelines: [String]
    @Option(help: "Destination name from destinations/ (default: the pipeline's own).")
    var destination: String?
    @Option(name: .customLong("resource"), help: "Run only this resource (repeatable); parents it needs run too.")
    var resources: [String] = []
    @Flag(help: "Print the run report as JSON on standard output.")
    var json = false
    @Flag(help: "Ignore stored cursors and jobs, and replace the resources' tables with what this run reads.")
    var fullRefresh = false
    @Flag(help: "Fetch a sample (see --max-pages), print its first rows and inferred tables; write nothing.")
    var dryRun = false
    @Option(help: "With --dry-run: pages read at most per resource (and work items started). Default 1.")
    var maxPages: Int?
    @OptionGroup var output: OutputOptions
    @OptionGroup var scaleOut: ScaleOutOptions
    @OptionGroup var tenant: TenantOptions
    @OptionGroup var rateShare: RateShareOptions
    @OptionGroup var takeOver: TakeOverOptions

    func validate() throws {
        if maxPages != nil && !dryRun {
            throw ValidationError("--max-pages needs --dry-run: a real run reads everything")
        }
        if let maxPages, maxPages < 1 { throw ValidationError("--max-pages must be 1 or more") }
        if try takeOver.seconds() != nil && dryRun {
            throw ValidationError("--take-over-after cannot be combined with --dry-run: a dry run writes nothing")
        }
    }

    func run() async throws {
        let project = try options.load(environment: try tenant.overrides())
        let scope = try scaleOut.scope()
        let share = try rateShare.share(for: scope)
        let destinations = options.destinations(project, dataset: try tenant.datasetName())
        let adoptable = try takeOver.targets(pipelines, destinations: destinations, override: destination)
        let ran = try await Runs.execute(
            pipelines, project: project, destinations: destinations,
            destination: destination,
            settings: RunSettings(
                resources: resources, json: json, fullRefresh: fullRefresh, output: output,
                sample: dryRun ? (maxPages ?? 1) : nil, scope: scope, share: share))
        let adopted = try await takeOver.adopt(adoptable, project: project, share: share, json: json, output: output)
        if !ran || !adopted { throw ExitCode(1) }
    }
}
