@testable import ConnectorKit
import APISandbox
import Foundation
import Testing

/// `processing_steps` (filter and map before normalization, declared, never code) and
/// `selected: false` (a parent that feeds its children but loads no table).
@Suite("Processing steps and unselected parents")
struct ProcessingStepsTests {
    static let record = #"{"id":7,"status":"open","n":10,"at":"2025-03-01T10:00:00+01:00","tags":["a"],"o":{"p":null}}"#

    /// (condition YAML, holds for `record`).
    static let conditions: [(String, Bool)] = [
        ("{path: status, op: eq, value: open}", true),
        ("{path: status, value: open}", true),  // eq by default
        ("{path: status, op: ne, value: deleted}", true),
        ("{path: n, op: gt, value: 9}", true),  // numbers as numbers ("10" > "9")
        ("{path: n, op: lte, value: 9.5}", false),
        ("{path: at, op: lt, value: '2025-03-01T09:30:00Z'}", true),  // timestamps by instant
        ("{path: status, op: in, value: [open, pending]}", true),
        ("{path: status, op: not_in, value: [open]}", false),
        ("{path: o.p, op: missing}", true),  // null is missing
        ("{path: nope, op: ne, value: x}", true),  // a missing value is not equal
        ("{path: nope, op: eq, value: x}", false),
        ("{path: tags, op: exists}", true),
    ]

    static func steps(_ yaml: String, endpoint: String = "") throws -> ResourceSpec {
        let resource = """
                  - name: items
                    endpoint: {path: items, paginator: single_page, data_selector: items\(endpoint)}
                    processing_steps:
            \(yaml)
            """
        let project = try TestPipeline.project(baseURL: "http://127.0.0.1:1", resourceYAML: resource)
        return try #require(project.sources.first?.resources.first)
    }

    @Test("a filter keeps the records its condition holds for", arguments: conditions)
    func condition(_ c: (String, Bool)) throws {
        let steps = RecordSteps(try Self.steps("              - filter: \(c.0)").processingSteps)
        let parser = JSONParser()
        let kept = try steps.apply(try parser.parse(Array(Self.record.utf8)))
        #expect((kept != nil) == c.1, "\(c.0)")
        #expect(steps.filtered == (c.1 ? 0 : 1))
    }

    @Test("maps set, rename and drop fields; the result is an ordinary record")
    func maps() throws {
        let yaml = """
                          - map: {set: {field: state, from: status}}
                          - map: {set: {field: source, value: "api, v2"}}
                          - map: {rename: {from: o.p, to: gone}}
                          - map: {rename: {from: tags, to: labels}}
                          - map: {drop: [status, n]}
                          - filter: {path: labels.0, op: eq, value: a}
            """
        let steps = RecordSteps(try Self.steps(yaml).processingSteps)
        let parser = JSONParser()  // the record is borrowed from it: it must outlive the steps
        let out = try #require(try steps.apply(try parser.parse(Array(Self.record.utf8))))
        #expect(
            out.jsonText
                == #"{"id":7,"at":"2025-03-01T10:00:00+01:00","o":{},"state":"open","source":"api, v2","gone":null,"labels":["a"]}"#
        )
    }

    /// (steps YAML, message part): refused at load, where written.
    static let refused: [(String, String)] = [
        (
            "      - filter: {path: a, op: like, value: x}",
            "is 'like', which is not one of: eq, ne, gt, gte, lt, lte, in"
        ),
        ("      - flatten: {path: a}", "unknown key 'flatten' in a processing step Valid keys: filter, map"),
        ("      - {filter: {path: a, op: exists}, map: {drop: [a]}}", "exactly one per list item"),
        ("      - map: {set: {field: x, from: a, value: b}}", "'set' needs one of 'from'"),
        ("      - map: {set: {field: a.b, value: c}}", "must be a name without dots"),
        ("      - map: {explode: a}", "Valid keys: set, rename, drop"),
        ("      - filter: {path: a, op: in}", "needs a 'value' list"),
        ("      - filter: {path: a, op: exists, value: x}", "takes no 'value'"),
    ]

    @Test("an unknown step, key or operator is refused at load with its location", arguments: refused)
    func refusedAtLoad(_ c: (String, String)) throws {
        expectRefused(c.1, at: "test.yaml:11:") { try Self.steps("        " + c.0) }
    }

    @Test("records a filter leaves out are counted in the report, and the rest load")
    func filteredAreReported() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            let items = (1...10).map { #"{"id":\#($0),"status":"\#($0 % 3 == 0 ? "deleted" : "live")"}"# }
            return SandboxResponse(status: 200, body: Array(#"{"items":[\#(items.joined(separator: ","))]}"#.utf8))
        }
        let resource = """
                  - name: items
                    endpoint: {path: items, paginator: single_page, data_selector: items}
                    processing_steps: [{filter: {path: status, op: ne, value: deleted}}]
            """
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: resource)
        let destination = MemoryDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.rows["items"] == 7)
        #expect(destination.rows["items"] == 7)
        #expect(outcome.notes.contains("3 record(s) filtered by processing_steps"), "\(outcome.notes)")
    }

    @Test("selected: false without a child is refused at load: it would do nothing")
    func unselectedWithoutChild() {
        expectRefused("resource 'items' has selected: false but no resource resolves from it", at: "test.yaml:8:") {
            try TestPipeline.project(
                baseURL: "http://127.0.0.1:1", resourceYAML: "      - {name: items, selected: false}")
        }
    }

    @Test("selected: false feeds the children but loads no table of its own")
    func unselectedParent() async throws {
        let server = try await LoopbackHTTPServer.start { r in
            let body =
                r.path == "/projects"
                ? #"{"items":[{"id":"p1"},{"id":"p2"}]}"#
                : #"{"items":[{"id":"\#(r.path.split(separator: "/")[1])-a"},{"id":"x"}]}"#
            return SandboxResponse(status: 200, body: Array(body.utf8))
        }
        let resources = """
                  - name: projects
                    selected: false
                    endpoint: {path: projects, paginator: single_page, data_selector: items}
                  - name: tasks
                    endpoint:
                      path: "projects/{project}/tasks"
                      params: {project: {type: resolve, resource: projects, field: id}}
                      paginator: single_page
                      data_selector: items
            """
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: resources)
        let destination = MemoryDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        #expect(report.outcomes.allSatisfy { $0.status == .succeeded }, "\(report.outcomes.map(\.message))")
        #expect(destination.rows == ["tasks": 4])
        let published = destination.committed.flatMap(\.publications)
        #expect(published.first { $0.resource == "projects" }.map { $0.tables.isEmpty && $0.roots.isEmpty } == true)
    }
}
