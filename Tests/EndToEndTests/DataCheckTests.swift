import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// `checks:` of a resource, against a loopback API into real SQLite files. Every case loads a
/// good answer (its check passes), then a bad one (its check fails): with `severity: fail` the
/// resource fails and the table keeps the first load's rows; with `warn` the rows are published.
@Suite("Data checks")
struct DataCheckTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let check: String
        /// The check's settings besides severity, as YAML flow mapping entries.
        let settings: String
        let good: Answer
        let bad: Answer
        var testDescription: String { check }
    }

    struct Answer: Sendable {
        var records: [String]
        var total: Int?
    }

    static let now = ISO8601DateFormatter().string(from: Date())

    static func records(_ count: Int, updated: String = now) -> [String] {
        (0..<count).map { #"{"id": \#($0), "name": "n\#($0)", "updated_at": "\#(updated)"}"# }
    }

    static let cases: [Case] = [
        Case(check: "not_empty", settings: "", good: Answer(records: records(2)), bad: Answer(records: [])),
        Case(
            check: "row_count_matches", settings: "total_path: total",
            good: Answer(records: records(3), total: 3), bad: Answer(records: records(3), total: 4)),
        Case(
            check: "max_change", settings: "percent: 20", good: Answer(records: records(10)),
            bad: Answer(records: records(5))),
        Case(
            check: "unique", settings: "", good: Answer(records: records(3)),
            bad: Answer(records: records(3) + [records(1)[0]])),
        Case(
            check: "not_null", settings: "columns: [name]", good: Answer(records: records(2)),
            bad: Answer(records: records(2) + [#"{"id": 7, "updated_at": "2030-01-01T00:00:00Z"}"#])),
        Case(
            check: "freshness", settings: "max_age: 1d", good: Answer(records: records(2)),
            bad: Answer(records: records(2, updated: "2020-01-01T00:00:00Z"))),
    ]

    @Test("a failing check with severity fail keeps the load from publishing", arguments: cases)
    func failBlocks(_ c: Case) async throws {
        let run = try await CheckRun(c, severity: "fail")
        #expect(run.first.checks.map(\.passed) == [true], "\(run.first.checks)")
        #expect(run.first.status == .succeeded)
        #expect(run.second.checks.map(\.passed) == [false], "\(run.second.checks)")
        #expect(run.second.status == .failed)
        #expect(run.second.message?.contains("check \(c.check) failed") == true)
        #expect(run.rowsAfterSecond == run.rowsAfterFirst)
    }

    @Test("a failing check with severity warn is reported and the rows are published", arguments: cases)
    func warnPublishes(_ c: Case) async throws {
        let run = try await CheckRun(c, severity: "warn")
        #expect(run.second.checks.map(\.passed) == [false])
        #expect(run.second.status == .succeeded)
        #expect(run.rowsAfterSecond == run.rowsAfterFirst + c.bad.records.count)
    }
}

/// Two loads of one case into a fresh SQLite file, with what each reported and the rows after it.
struct CheckRun {
    var first: ResourceReport
    var second: ResourceReport
    var rowsAfterFirst = 0
    var rowsAfterSecond = 0

    init(_ c: DataCheckTests.Case, severity: String) async throws {
        let answer = LockedBox(c.good)
        let server = try await LoopbackHTTPServer.start { _ in
            let a = answer.withLock { $0 }
            let total = a.total.map { #""total": \#($0), "# } ?? ""
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Array(#"{\#(total)"data": [\#(a.records.joined(separator: ","))]}"#.utf8))
        }
        defer { Task { await server.shutdown() } }
        let settings = c.settings.isEmpty ? "" : ", " + c.settings
        let yaml = """
            sources:
              test:
                client: {base_url: \(server.baseURL), paginator: {type: single_page}}
                resources:
                  - name: items
                    write_disposition: append
                    primary_key: [id]
                    endpoint: {path: /items, data_selector: data, incremental: {cursor_path: updated_at}}
                    checks: {\(c.check): {severity: \(severity)\(settings)}}
            pipelines:
              test: {source: test}
            """
        let project = try SpecLoader(environment: [:]).parseSources(yaml, file: "checks.yaml")
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory("checks") + "/{pipeline}.sqlite")
        let runner = PipelineRunner(project: project, destination: destination)
        first = try #require(try await runner.run("test").outcomes.first)
        rowsAfterFirst = try await tableCounts(destination, "test")["items"] ?? 0
        answer.withLock { $0 = c.bad }
        second = try #require(try await runner.run("test").outcomes.first)
        rowsAfterSecond = try await tableCounts(destination, "test")["items"] ?? 0
    }
}
