import Foundation

/// Turns `sources.yaml` and `destinations/*.yaml` into a validated `ProjectSpec`.
public struct SpecLoader: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    var interpolator: Interpolator { Interpolator(environment: environment) }

    /// Reads `<directory>/sources.yaml` and every `<directory>/destinations/*.yaml`.
    public func load(projectDirectory directory: String) throws(SpecError) -> ProjectSpec {
        let sourcesPath = (directory as NSString).appendingPathComponent("sources.yaml")
        let text = try Self.read(sourcesPath)
        var project = try parseSources(text, file: Self.display(sourcesPath))
        let destinationsDir = (directory as NSString).appendingPathComponent("destinations")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: destinationsDir)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        for file in files {
            let path = (destinationsDir as NSString).appendingPathComponent(file)
            let name = (file as NSString).deletingPathExtension
            let text = try Self.read(path)
            project.destinations[name] = try parseDestination(text, name: name, file: Self.display(path))
        }
        try PipelineSpec.checkDestinations(of: project)
        return project
    }

    static func read(_ path: String) throws(SpecError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(
                "cannot read \(path): no such file (run from the project folder or pass --project DIR)", at: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError("\(path) is not UTF-8 text", at: SpecLocation(file: path, line: 1, column: 1))
        }
        return text
    }

    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    public func parseDestination(_ text: String, name: String, file: String) throws(SpecError) -> DestinationSpec {
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw SpecError(
                "destination file is empty; it needs at least 'type'",
                at: SpecLocation(file: file, line: 1, column: 1))
        }
        return try DestinationSpec.read(root, name: name, interpolator: interpolator)
    }

    /// Parses the text of a `sources.yaml`.
    public func parseSources(_ text: String, file: String) throws(SpecError) -> ProjectSpec {
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw SpecError(
                "sources.yaml is empty; it needs 'sources' and 'pipelines'",
                at: SpecLocation(file: file, line: 1, column: 1))
        }
        return try ProjectSpec.read(root, interpolator: interpolator)
    }
}
