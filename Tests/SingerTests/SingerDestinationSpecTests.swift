@testable import ConnectorKit
import Foundation
import SingerDestination
import Testing

/// `destinations/<name>.yaml` with `type: singer`: what is accepted, what is refused and how
/// the refusal reads (file:line:column, the key, never a secret's value).
@Suite struct SingerDestinationSpecTests {
    static func spec(_ yaml: String, environment: [String: String] = [:]) throws -> DestinationSpec {
        let root = try #require(try YAMLDocument.parse(yaml, file: "destinations/t.yaml"))
        return try DestinationSpec.read(root, name: "t", interpolator: Interpolator(environment: environment))
    }

    @Test(
        "refused: the error names the problem and where it is",
        arguments: [
            ("type: singer\nconfig: {a: 1}", "needs 'command'", "destinations/t.yaml:1:1"),
            ("type: singer\ncommand: []", "must be a non-empty list of strings", "destinations/t.yaml:2:10"),
            ("type: singer\ncommand: [[a]]", "must be a non-empty list of strings", "destinations/t.yaml:2:10"),
            ("type: singer\ncommand: [t]\nconfig: [a, b]", "'config' of destination 't' must be a mapping", ":3:9"),
            ("type: singer\ncommand: [t]\nconfig: {password: \"${PW}\"}", "variable PW is not set", ":3:20"),
        ])
    func refused(yaml: String, says: String, at location: String) throws {
        let spec = try Self.spec(yaml)
        #expect(throws: SpecError.self) { try SingerTargetDestination(spec: spec) }
        do {
            _ = try SingerTargetDestination(spec: spec)
        } catch {
            #expect("\(error)".contains(says), "\(error)")
            #expect("\(error)".contains(location), "\(error)")
        }
    }

    @Test("accepted: command words, nested config kept as a tree, state_dir with its default")
    func accepted() throws {
        let spec = try Self.spec(
            "type: singer\ncommand: [target-x, --flag]\nconfig: {password: \"${PW}\", nested: {port: 5432}}",
            environment: ["PW": "pw-value"])
        let destination = try SingerTargetDestination(spec: spec)
        #expect(destination.name == "t")
        #expect(destination.stateDirectoryTemplate == SingerTargetDestination.defaultStateDirectory)
        #expect(spec.trees["command"]?.strings?.map(\.value) == ["target-x", "--flag"])
        #expect(spec.trees["config"]?.scalars.map(\.value).sorted() == ["5432", "pw-value"])
    }
}
