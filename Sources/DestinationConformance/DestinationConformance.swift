import ConnectorKit
import Foundation

/// The contract every destination holds (docs/destinations.md), checked with real loads into
/// fresh pipelines of the destination under test: staged rows stay invisible until commit, abort
/// leaves nothing, append keeps and replace drops earlier rows (children too), merge follows the
/// declared `mergeStrategy`, committed state and columns read back. Counts are read through
/// `DatasetReader.tables()`, so it needs no SQL. A destination package runs it in its own tests:
/// `#expect(try await DestinationConformance.violations(of: myDestination) == [])`.
public enum DestinationConformance {
    /// What the destination got wrong, one line per broken expectation; empty when it conforms.
    public static func violations(of destination: any Destination) async throws -> [String] {
        var found: [String] = []
        for scenario in scenarios {
            let load = ConformanceLoads(destination: destination)
            do {
                found += try await scenario.check(load).map { "\(scenario.name): \($0)" }
            } catch {
                found.append("\(scenario.name): failed with \(error)")
            }
        }
        return found
    }

    struct Scenario: Sendable {
        let name: String
        let check: @Sendable (ConformanceLoads) async throws -> [String]
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "abort") { load in
            try await load.run(#"[{"id":1}]"#, .append)
            try await load.run(#"[{"id":2,"tags":["a"]}]"#, .append, ending: .abort)
            return expect(try await load.counts(), ["t": 1], "an aborted load changed the data")
        },
        Scenario(name: "invisible until commit") { load in
            try await load.run(#"[{"id":1}]"#, .append)
            let seen = LockedBox([String: Int]())
            try await load.run(#"[{"id":2}]"#, .append) {
                let counts = try await load.counts(); seen.withLock { $0 = counts }
            }
            return expect(seen.withLock { $0 }, ["t": 1], "staged rows were visible before commit")
        },
        Scenario(name: "append and replace") { load in
            try await load.run(#"[{"id":1,"tags":["a","b"]},{"id":2,"tags":["c"]}]"#, .append)
            try await load.run(#"[{"id":3,"tags":["d"]}]"#, .append)
            let appended = try await load.counts()
            try await load.run(#"[{"id":9,"tags":["z"]}]"#, .replace, ending: .abort)
            let aborted = try await load.counts()
            try await load.run(#"[{"id":9,"tags":["z"]}]"#, .replace)
            return expect(appended, ["t": 3, "t__tags": 4], "append did not keep the earlier rows")
                + expect(aborted, appended, "an aborted replace changed the data")
                + expect(try await load.counts(), ["t": 1, "t__tags": 1], "replace did not drop the earlier rows")
        },
        Scenario(name: "merge") { load in
            try await load.run(#"[{"id":1,"v":"a"},{"id":2,"v":"b"}]"#, .merge)
            try await load.run(#"[{"id":1,"v":"a2"},{"id":3,"v":"c"}]"#, .merge)
            let rows = load.destination.capabilities.mergeStrategy == .deleteInsert ? 3 : 4
            let strategy = load.destination.capabilities.mergeStrategy.rawValue
            return expect(try await load.counts(), ["t": rows], "merge does not match mergeStrategy \(strategy)")
        },
        Scenario(name: "state and columns") { load in
            try await load.run(#"[{"id":1,"v":"x"}]"#, .append, cursor: "2024-01-01")
            let session = try await load.destination.beginLoad(pipeline: load.pipeline, loadId: UUID().uuidString)
            let cursor = try await session.state(resource: "r").cursors[""]
            let columns = Set((try await session.existingTables()["t"] ?? []).map(\.name))
            await session.abort()
            return expect(cursor, "2024-01-01", "the committed cursor did not read back")
                + (columns.isSuperset(of: ["id", "v"])
                    ? [] : ["existingTables() lacks t's columns: \(columns.sorted())"])
        },
    ]

    static func expect<T: Equatable>(_ actual: T, _ expected: T, _ message: String) -> [String] {
        actual == expected ? [] : ["\(message) (expected \(expected), found \(actual))"]
    }
}
