import ConnectorKit
import Testing

/// A destination type for the registry tests: records the options it was built from.
private struct RecordingFactory: DestinationFactory {
    let typeName: String
    var optionKeys: [String] = ["path"]

    func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        RecordedDestination(name: spec.name, path: placement.placed(spec.options["path"]?.value ?? "-", extension: ""))
    }
}

private final class RecordedDestination: Destination, @unchecked Sendable {
    let name: String
    let path: String
    let capabilities = DestinationCapabilities(
        types: [:], maxIdentifierLength: nil, transactionalDDL: false, mergeStrategy: .appendOnly, supportsSQL: false)
    init(name: String, path: String) {
        self.name = name
        self.path = path
    }
    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession { fatalError("not loaded") }
    func openDataset(pipeline: String) async throws -> any DatasetReader { fatalError("not read") }
    func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }
}

@Suite("Destination registry")
struct DestinationRegistryTests {
    let registry = DestinationRegistry([
        RecordingFactory(typeName: "sqlite"), RecordingFactory(typeName: "jsonl_lines"),
    ])

    func spec(_ text: String) throws -> DestinationSpec {
        try SpecLoader(environment: [:]).parseDestination(text, name: "lake", file: "destinations/lake.yaml")
    }

    @Test(
        "a wrong destination file is refused at the value, naming the valid choices",
        arguments: [
            (
                "type: jsonl_line\npath: out\n",
                "destinations/lake.yaml:1:7: error: destination 'lake' has type 'jsonl_line', which is not a registered"
                    + " destination type; registered: jsonl_lines, sqlite; did you mean 'jsonl_lines'?"
            ),
            (
                "type: jsonl_lines\npaht: out\n",
                "destinations/lake.yaml:2:7: error: unknown key 'paht' in destination 'lake' (type jsonl_lines);"
                    + " did you mean 'path'? Valid keys: type, path"
            ),
            ("path: out\n", "destinations/lake.yaml:1:1: error: destination 'lake' needs 'type'"),
        ])
    func refused(text: String, expected: String) throws {
        let error = #expect(throws: SpecError.self) {
            try registry.make(try spec(text), placement: .init(projectDirectory: "."))
        }
        #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "no error")")
    }

    @Test("a registered type is built from its options, placed in the project folder")
    func builtFromOptions() throws {
        let destination = try registry.make(
            try spec("type: jsonl_lines\npath: out/{pipeline}\n"), placement: .init(projectDirectory: "/p", demo: true))
        let recorded = try #require(destination as? RecordedDestination)
        #expect(recorded.name == "lake")
        #expect(recorded.path == "/p/out/demo/{pipeline}")
    }

    @Test("a later registration replaces a type of the same name; the names list stays sorted")
    func laterReplaces() throws {
        let wider = registry.adding([RecordingFactory(typeName: "sqlite", optionKeys: ["path", "journal"])])
        #expect(wider.typeNames == ["jsonl_lines", "sqlite"])
        _ = try wider.factory(for: try spec("type: sqlite\njournal: wal\n"))
        #expect(throws: SpecError.self) { try registry.factory(for: try spec("type: sqlite\njournal: wal\n")) }
    }
}
