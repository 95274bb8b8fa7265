import ConnectorKit
import Foundation
import Testing

@Suite("YAML aliases: bounded expansion")
struct YAMLAliasBudgetTests {
    /// "Billion laughs": each line lists ten aliases of the line before, 10^levels nodes in all.
    static func bomb(levels: Int) -> String {
        var lines = ["l0: &l0 [" + Array(repeating: "\"lol\"", count: 10).joined(separator: ", ") + "]"]
        for n in 1..<levels {
            lines.append("l\(n): &l\(n) [" + Array(repeating: "*l\(n - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Where the budget is crossed in `bomb`: l0 holds 11 nodes, l1 111, l2 1111; the aliases of
    /// l1 and l2 add 110 + 1110, and the 8th alias on line l3 takes the total past 10,000.
    static let crossing = (line: 4, column: 10 + 7 * 5)

    struct Reader: Sendable, CustomTestStringConvertible {
        let name: String
        /// Reads `yaml` as this kind of file, from a fresh project folder.
        let read: @Sendable (_ yaml: String, _ dir: String) throws -> Void
        var testDescription: String { name }
    }

    static let readers: [Reader] = [
        Reader(name: "sources.yaml") { yaml, dir in
            try yaml.write(toFile: dir + "/sources.yaml", atomically: true, encoding: .utf8)
            _ = try SpecLoader(environment: [:]).load(projectDirectory: dir)
        },
        Reader(name: "destinations/*.yaml") { yaml, dir in
            try "sources: {}\n".write(toFile: dir + "/sources.yaml", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: dir + "/destinations", withIntermediateDirectories: true)
            try yaml.write(toFile: dir + "/destinations/warehouse.yaml", atomically: true, encoding: .utf8)
            _ = try SpecLoader(environment: [:]).load(projectDirectory: dir)
        },
        Reader(name: ".connector/secrets.yaml") { yaml, dir in
            try FileManager.default.createDirectory(atPath: dir + "/.connector", withIntermediateDirectories: true)
            let path = SecretsFile.path(inProject: dir)
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            _ = try SecretsFile.load(projectDirectory: dir)
        },
    ]

    static func projectDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "connector-aliases-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("an alias bomb (10^12 nodes from 1.5 KB) is refused at the alias that crosses the budget", arguments: readers)
    func bombRefused(_ reader: Reader) throws {
        let text = Self.bomb(levels: 12)
        #expect(text.utf8.count < 2_000)
        let dir = try Self.projectDirectory()
        let e = #expect(throws: SpecError.self) { try reader.read(text, dir) }
        #expect(e?.location?.file.hasSuffix(reader.name.replacingOccurrences(of: "*", with: "warehouse")) == true)
        #expect(e?.location?.line == Self.crossing.line)
        #expect(e?.location?.column == Self.crossing.column)
        #expect(e?.message.contains("'*l2'") == true)
        #expect(e?.message.contains("at most 10000 nodes") == true)
        #expect(e?.snippet?.hasSuffix(String(repeating: " ", count: Self.crossing.column - 1) + "^") == true)
    }

    @Test("one alias of a large anchored list counts its whole size")
    func largeAnchor() throws {
        let items = Array(repeating: "x", count: 10_000).joined(separator: ", ")
        let yaml = "big: &big [\(items)]\ncopy: *big\n"
        let e = #expect(throws: SpecError.self) {
            _ = try SpecLoader(environment: [:]).parseSources(yaml, file: "s.yaml")
        }
        #expect(e?.location == SpecLocation(file: "s.yaml", line: 2, column: 7))
        #expect(e?.message.contains("10001") == true)
    }

    @Test("anchors and aliases within the budget still work")
    func legitimateAliases() throws {
        let yaml = """
            sources:
              api:
                client: {base_url: "http://127.0.0.1:9"}
                resources:
                  - name: users
                    endpoint: {path: users, paginator: &pages {type: offset, limit: 50, total_path: total}}
                  - name: teams
                    endpoint: {path: teams, paginator: *pages}
            pipelines:
              api: {source: api}
            """
        let source = try #require(
            try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml").sources.first)
        for resource in source.resources {
            guard case .offset(let limit, _, _, let total, _, _, _, _)? = resource.endpoint.paginator else {
                Issue.record("\(resource.name): expected the shared offset paginator")
                continue
            }
            #expect(limit == 50 && total == "total")
        }
    }
}
