import Foundation

/// Where a pipeline's dataset lives. Relative paths in `destinations/*.yaml` resolve against the
/// project folder (`--project DIR`), not the working directory; the demo's datasets sit in a
/// `demo/` folder beside the real ones (`data/demo/<pipeline>.sqlite`) and in a `demo_` schema on
/// PostgreSQL, so sandbox rows and cursors can never mix with, or steer, a real run.
/// A `DestinationFactory` applies it to the paths or schema names its destination writes to.
public struct DatasetPlacement: Sendable {
    /// The project folder that relative paths resolve against.
    public let projectDirectory: String
    /// True for the demo's own datasets.
    public let demo: Bool
    /// `--dataset`: the dataset every destination loads instead of its own.
    public var dataset: String? = nil

    public init(projectDirectory: String, demo: Bool = false, dataset: String? = nil) {
        self.projectDirectory = projectDirectory
        self.demo = demo
        self.dataset = dataset
    }

    /// A SQLite file or files folder template, moved into `demo/` for the demo and anchored
    /// at the project folder when relative.
    public func path(_ template: String) -> String {
        let path = demo ? Self.insertingFolder("demo", beforeLastComponentOf: template) : template
        if path.hasPrefix("/") || projectDirectory == "." { return path }
        return (projectDirectory as NSString).appendingPathComponent(path)
    }

    /// A file or folder template renamed to the chosen dataset, in the same folder (`data/{pipeline}.sqlite`
    /// → `data/acme.sqlite`); the template itself without `--dataset`.
    public func renamed(_ template: String, extension ext: String) -> String {
        guard let dataset else { return template }
        let parent = (template as NSString).deletingLastPathComponent
        return parent.isEmpty ? dataset + ext : (parent as NSString).appendingPathComponent(dataset + ext)
    }

    /// A file or folder template as loaded here: renamed to the chosen dataset, then placed (both above).
    public func placed(_ template: String, extension ext: String) -> String { path(renamed(template, extension: ext)) }

    /// A PostgreSQL schema template (`demo_<schema>` for the demo).
    public func schema(_ template: String) -> String { demo ? "demo_" + template : template }

    private static func insertingFolder(_ folder: String, beforeLastComponentOf path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        let withFolder = parent.isEmpty ? folder : (parent as NSString).appendingPathComponent(folder)
        return (withFolder as NSString).appendingPathComponent((path as NSString).lastPathComponent)
    }
}
