import ConnectorKit

/// What the dashboard shows: every pipeline of a project with its destination, and the values
/// that must never appear on a page (they are masked in every answer, in any encoding).
public struct DashboardProject: Sendable {
    /// One pipeline and where it loads.
    public struct Pipeline: Sendable {
        public let name: String
        public let destination: any Destination
        public init(name: String, destination: any Destination) {
            self.name = name
            self.destination = destination
        }
    }

    public let pipelines: [Pipeline]
    public let redactor: Redactor
    /// True when the datasets are the demo's (shown in the header).
    public let demo: Bool

    public init(pipelines: [Pipeline], secrets: some Sequence<String>, demo: Bool) {
        self.pipelines = pipelines
        self.redactor = Redactor(secrets: secrets)
        self.demo = demo
    }

    func pipeline(named name: String?) -> Pipeline? {
        pipelines.first { $0.name == name }
    }
}

/// A pipeline's dataset opened for one request and closed after it.
enum Dataset {
    static func with<T>(
        _ pipeline: DashboardProject.Pipeline, _ body: (any DatasetReader) async throws -> T
    ) async throws -> T {
        let reader = try await pipeline.destination.openDataset(pipeline: pipeline.name)
        do {
            let value = try await body(reader)
            await reader.close()
            return value
        } catch {
            await reader.close()
            throw error
        }
    }
}
