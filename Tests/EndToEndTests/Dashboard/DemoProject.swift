import Foundation
import Testing

/// A copy of the project in a temp folder with the demo run into it (SQLite, or PostgreSQL in
/// a schema of its own), a secrets file holding `secret`, and the read commands to compare with.
struct DemoProject {
    let directory: String
    let destinationArguments: [String]

    init(kind: String, secret: String, name: String = #function) throws {
        directory = temporaryDirectory("dashboard-\(kind)")
        try copyProject(to: directory)
        if kind == "postgres" {
            let path = directory + "/destinations/postgres.yaml"
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            let suffix = UUID().uuidString.prefix(6).lowercased()
            try yaml.replacingOccurrences(of: "dataset: \"{pipeline}\"", with: "dataset: \"dash\(suffix)_{pipeline}\"")
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        try Self.addChecks(in: directory)
        destinationArguments = kind == "sqlite" ? [] : ["--destination", kind]
        let secrets = directory + "/.connector"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "CLARI_COPILOT_API_PASSWORD: \(secret)\n".write(
            toFile: secrets + "/secrets.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets + "/secrets.yaml")
        // Twice: two loads for the history and the chart.
        for _ in 0..<2 {
            let demo = try runConnector(["demo", "--project", directory] + destinationArguments, in: directory)
            guard demo.status == 0 else { throw DashboardTestError("demo failed: \(demo.errors)") }
        }
    }

    /// Checks on the Copilot calls: the API's own total matches (passes), and a `warn` check
    /// on a column no call has fails without stopping the load.
    static let checks =
        "        checks: {row_count_matches: {total_path: pagination.matched}, "
        + "not_null: {columns: [no_such_column], severity: warn}}\n"

    private static func addChecks(in directory: String) throws {
        let path = directory + "/sources.yaml"
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        let anchor = "      - name: calls\n"
        guard yaml.contains(anchor) else { throw DashboardTestError("sources.yaml has no resource 'calls'") }
        try yaml.replacingOccurrences(of: anchor, with: anchor + checks).write(
            toFile: path, atomically: true, encoding: .utf8)
    }

    /// What `connector checks --demo` prints for `pipeline`.
    func checks(_ pipeline: String) throws -> String {
        try runConnector(
            ["checks", "--demo", "--project", directory] + destinationArguments + [pipeline], in: directory
        )
        .output
    }

    /// `connector show --demo`: pipeline → table → rows.
    func shownCounts() throws -> [String: [String: Int]] {
        let show = try runConnector(["show", "--demo", "--project", directory] + destinationArguments, in: directory)
        guard show.status == 0 else { throw DashboardTestError("show failed: \(show.errors)") }
        var out: [String: [String: Int]] = [:]
        var pipeline: String?
        for line in show.output.split(separator: "\n").map(String.init) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasSuffix(", demo)"), let name = fields.first {
                pipeline = name
                out[name] = [:]
            } else if let pipeline, fields.count == 2, let rows = Int(fields[1]) {
                out[pipeline]?[fields[0]] = rows
            }
        }
        return out
    }

    /// The single value `connector query --demo` prints for `sql`.
    func scalar(_ pipeline: String, _ sql: String) throws -> String {
        let query = try runConnector(
            ["query", "--demo", "--project", directory] + destinationArguments + [pipeline, sql], in: directory)
        guard query.status == 0 else { throw DashboardTestError("query failed: \(query.errors)") }
        return query.output.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }
}

/// Reading what Chromium dumped: a serialized DOM, quoted attributes, `&amp;` in hrefs.
enum DOM {
    static func tableCounts(_ dom: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for match in dom.matches(of: #/<span class="rows" data-table="([^"]+)">(\d+)</span>/#) {
            out[String(match.1)] = Int(match.2)
        }
        return out
    }

    static func links(_ dom: String, class name: String) -> [String] {
        dom.matches(of: #/<a class="([^"]+)" href="([^"]+)"/#).filter { $0.1 == name }
            .map { String($0.2).replacingOccurrences(of: "&amp;", with: "&") }
    }

    static func parameter(_ name: String, in link: String) -> String? {
        URLComponents(string: link)?.queryItems?.first { $0.name == name }?.value
    }

    /// The text inside the element with this id (no nested markup expected).
    static func text(of id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\">") else { return nil }
        let rest = dom[start.upperBound...]
        return rest.range(of: "<").map { String(rest[..<$0.lowerBound]) }
    }

    /// The text of every `<td>` of the table with this id.
    static func cells(of id: String, in dom: String) -> [String] {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return [] }
        let table = dom[start.upperBound...].prefix { _ in true }
        let end = table.range(of: "</table>")?.lowerBound ?? table.endIndex
        return table[..<end].matches(of: #/<td>([^<]*)</#).map { String($0.1) }
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
