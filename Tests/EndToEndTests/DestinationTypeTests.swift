import Foundation
import Testing

/// The real binary checks destination files against its registered types (docs/destinations.md)
/// before any command runs: an unknown type or option is refused at its line with the choices.
@Suite("Destination types in the binary")
struct DestinationTypeTests {
    @Test(
        "a destination file the registry refuses fails validate at the value, naming the valid choices",
        arguments: [
            (
                "type: snowflake\n",
                ["destinations/lake.yaml:1:7", "type 'snowflake'", "registered: files, postgres, singer, sqlite"]
            ),
            ("type: files\nformat: jsonl\nroot: out\n", ["destinations/lake.yaml:3:7", "unknown key 'root'", "path"]),
        ])
    func refused(file: String, expected: [String]) throws {
        let project = temporaryDirectory()
        try copyProject(to: project)
        try file.write(toFile: project + "/destinations/lake.yaml", atomically: true, encoding: .utf8)
        let run = try runConnector(["validate", "--project", project], in: project)
        #expect(run.status != 0)
        for text in expected { #expect(run.errors.contains(text), "\(text) not in: \(run.errors)") }
    }
}
