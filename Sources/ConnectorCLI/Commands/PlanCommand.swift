import ArgumentParser
import ConnectorKit
import Foundation
import PostgresDestination

/// `connector plan`: the units of work a run would execute, without fetching data.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List the units of work (resource × partitions, parents before children) a run would execute.")

    @OptionGroup var options: ProjectOptions
    @Argument(help: "Pipelines to plan (see `connector list`).")
    var pipelines: [String]
    @Option(name: .customLong("resource"), help: "Plan only this resource (repeatable); parents it needs too.")
    var resources: [String] = []
    @Flag(help: "Print the plan as JSON on standard output.")
    var json = false
    @OptionGroup var scaleOut: ScaleOutOptions
    @OptionGroup var tenant: TenantOptions

    func run() async throws {
        let project = try options.load(environment: try tenant.overrides())
        let scope = try scaleOut.scope()
        var plans: [WorkPlan] = []
        for name in pipelines {
            do {
                plans.append(
                    try WorkPlan.make(
                        project, pipeline: name, resources: resources.isEmpty ? nil : resources, scope: scope))
            } catch let error as WorkScopeError {
                throw ValidationError(error.description)
            } catch let error as PipelineError {
                throw ValidationError(error.description)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(plans), as: UTF8.self))
        } else {
            print(plans.map { $0.rendered() }.joined(separator: "\n\n"))
        }
    }
}

/// Where a scoped run's destination keeps its share apart (PostgreSQL: staging schema and
/// lock per lane, so shards load at once).
enum ScaleOut {
    static func inLane(_ destination: any Destination, _ scope: WorkScope) -> any Destination {
        guard var postgres = destination as? PostgresDestination else { return destination }
        postgres.scope = scope
        return postgres
    }
}
