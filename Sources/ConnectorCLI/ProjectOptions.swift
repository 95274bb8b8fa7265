import ArgumentParser
import ConnectorKit
import Foundation

/// Where the project is (sources.yaml, destinations/) and how to read it.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "Project folder holding sources.yaml and destinations/.")
    var project: String = "."

    var directory: String { (project as NSString).standardizingPath }

    /// The spec with variables from the secrets file, the environment (which wins over the
    /// file) and `overrides` (which win over both). Values from the secrets file are secrets.
    func load(environment overrides: [String: String] = [:]) throws -> ProjectSpec {
        let fromFile = try SecretsFile.load(projectDirectory: directory)
        var environment = fromFile
        environment.merge(ProcessInfo.processInfo.environment) { $1 }
        environment.merge(overrides) { $1 }
        var project = try SpecLoader(environment: environment).load(projectDirectory: directory)
        project.secrets.formUnion(fromFile.values.filter { !$0.isEmpty })
        try RegisteredDestinations.current.check(project)
        return project
    }

    /// Destinations of `project`, placed in this project folder (the demo's own datasets when `demo`).
    /// `dataset` (`--dataset`) replaces every destination's own dataset.
    func destinations(_ project: ProjectSpec, demo: Bool = false, dataset: String? = nil) -> ProjectDestinations {
        ProjectDestinations(
            project: project, placement: DatasetPlacement(projectDirectory: directory, demo: demo, dataset: dataset))
    }
}

/// `--demo`: read commands look at the datasets `connector demo` wrote instead of the real ones;
/// `--dataset NAME`: at the dataset a `run --dataset NAME` loaded (a tenant's).
struct DemoDatasetOption: ParsableArguments {
    @Flag(
        help:
            "Use the demo's datasets (written by `connector demo`: data/demo/<pipeline>.sqlite, schema demo_<pipeline>)."
    )
    var demo = false
    @Option(help: ArgumentHelp("Read the dataset NAME (as loaded by `run --dataset NAME`).", valueName: "NAME"))
    var dataset: String?

    /// The destinations of `project` as these options place them.
    func destinations(_ options: ProjectOptions, _ project: ProjectSpec) throws -> ProjectDestinations {
        options.destinations(project, demo: demo, dataset: try DatasetName.checked(dataset))
    }
}

/// Builds the destination a pipeline names (or `--destination`) from `destinations/*.yaml` through the
/// registered destination types, placed by `placement` (project folder, demo or real datasets).
struct ProjectDestinations {
    let project: ProjectSpec
    let placement: DatasetPlacement
    var registry = RegisteredDestinations.current

    func make(_ name: String) throws -> any Destination {
        guard let spec = project.destinations[name] else {
            if name == "sqlite" { return try registry.make(Self.defaultSQLite, placement: placement) }
            throw ValidationError(
                "no destination '\(name)': destinations/\(name).yaml does not exist; configured: \(project.destinations.keys.sorted().joined(separator: ", "))"
            )
        }
        return try registry.make(spec, placement: placement)
    }

    /// `sqlite` with its defaults, when a project has no `destinations/sqlite.yaml`.
    private static let defaultSQLite: DestinationSpec = {
        let location = SpecLocation(file: "destinations/sqlite.yaml (built-in default)", line: 1, column: 1)
        return DestinationSpec(
            name: "sqlite", type: ConfigString("sqlite", at: location), options: [:], location: location)
    }()

    /// The pipeline's own destination, or `override`; fails naming the pipelines when unknown.
    func forPipeline(_ pipeline: String, override: String?) throws -> any Destination {
        guard let spec = project.pipeline(named: pipeline) else {
            throw ValidationError(
                PipelineError.unknownPipeline(pipeline, known: project.pipelines.map(\.name)).description)
        }
        return try make(override ?? spec.destination)
    }
}
