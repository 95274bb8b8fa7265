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
        return project
    }

    /// Destinations of `project`, placed in this project folder (the demo's own datasets when `demo`).
    /// `dataset` (`--dataset`) replaces every destination's own dataset.
    func destinations(_ project: ProjectSpec, demo: Bool = false, dataset: String? = nil) -> DestinationFactory {
        DestinationFactory(
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
    func destinations(_ options: ProjectOptions, _ project: ProjectSpec) throws -> DestinationFactory {
        options.destinations(project, demo: demo, dataset: try DatasetName.checked(dataset))
    }
}

/// Builds the destination a pipeline names (or `--destination`) from `destinations/*.yaml`,
/// placed by `placement` (project folder, demo or real datasets).
struct DestinationFactory {
    let project: ProjectSpec
    let placement: DatasetPlacement

    func make(_ name: String) throws -> any Destination {
        guard let spec = project.destinations[name] else {
            if name == "sqlite" { return placed(SQLiteDestination()) }
            throw ValidationError(
                "no destination '\(name)': destinations/\(name).yaml does not exist; configured: \(project.destinations.keys.sorted().joined(separator: ", "))"
            )
        }
        switch spec.kind {
        case .sqlite: return placed(SQLiteDestination(spec: spec))
        case .postgres:
            var placedSpec = spec
            let dataset = spec.options["dataset"] ?? ConfigString("{pipeline}", at: spec.location)  // its default
            placedSpec.options["dataset"] = ConfigString(
                placement.schema(placement.dataset ?? dataset.value), at: dataset.location)
            return try PostgresDestination(spec: placedSpec)
        case .files:
            let files = try FileDestination(spec: spec)
            let root = placement.path(placement.renamed(files.rootTemplate, extension: ""))
            return FileDestination(name: files.name, root: root, format: files.format)
        case .singer:
            let singer = try SingerTargetDestination(spec: spec)
            return singer.placed(
                stateDirectory: placement.path(placement.renamed(singer.stateDirectoryTemplate, extension: "")))
        }
    }

    /// The pipeline's own destination, or `override`; fails naming the pipelines when unknown.
    func forPipeline(_ pipeline: String, override: String?) throws -> any Destination {
        guard let spec = project.pipeline(named: pipeline) else {
            throw ValidationError(
                PipelineError.unknownPipeline(pipeline, known: project.pipelines.map(\.name)).description)
        }
        return try make(override ?? spec.destination)
    }

    private func placed(_ sqlite: SQLiteDestination) -> SQLiteDestination {
        let template = placement.renamed(sqlite.pathTemplate, extension: ".sqlite")
        return SQLiteDestination(name: sqlite.name, pathTemplate: placement.path(template))
    }
}

import SQLiteDestination
import PostgresDestination
import FileDestination
import SingerDestination
