import ConnectorKit
import Foundation
import Testing

/// Loading resolves every placeholder in every position statically: a spec using each kind
/// validly loads; a misspelt name in any position is an error at its file:line:column that
/// lists what is available there and suggests the nearest name.
@Suite("Placeholders are checked when the spec is loaded")
struct PlaceholderCheckTests {
    /// Every placeholder kind in every position it can be written.
    static let valid = """
        sources:
          api:
            client: {base_url: "http://example.invalid"}
            resources:
              - name: parents
                endpoint: {path: parents, paginator: single_page}
              - name: exports
                endpoint:
                  method: POST
                  path: "parents/{parent_id}/exports/{region}"
                  params:
                    parent_id: {type: resolve, resource: parents, field: id}
                    quarter: "{quarter}"
                    from: "{window.start}"
                    to: "{window.end}"
                  headers: {X-Since: "{incremental.start_value}"}
                  json: {region: "{region}", month: "{window}", filter: {ids: ["{parent_id}"]}}
                  partitions:
                    region: {type: list, values: [eu, us]}
                    quarter: {type: fiscal_quarters}
                    window: {type: time_windows, start: "2025-01-01", interval: month}
                  incremental: {cursor_path: updated, initial_value: "2025-01-01T00:00:00Z"}
                async_job:
                  job_id_path: id
                  poll: {path: "jobs/{job_id}", status_path: status}
                  download: {path: "jobs/{job_id}/{region}/results"}
                  cancel: {path: "jobs/{job_id}/cancel", json: {job: "{job_id}", since: "{incremental.start_value}"}}
        pipelines:
          p: {source: api}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The text replaced, and what it is replaced by.
        let from: String
        let to: String
        /// Fragments the error must contain.
        let fragments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "partition in the path", from: "exports/{region}", to: "exports/{regoin}",
            fragments: ["{regoin}", "the path", "did you mean {region}?"]),
        Case(
            name: "resolved parameter in the path", from: "parents/{parent_id}", to: "parents/{parentid}",
            fragments: ["{parentid}", "did you mean {parent_id}?"]),
        Case(
            name: "fiscal quarter in params", from: "\"{quarter}\"", to: "\"{quartr}\"",
            fragments: ["params 'quarter'", "did you mean {quarter}?"]),
        Case(
            name: "window start in params", from: "{window.start}", to: "{window.strat}",
            fragments: ["params 'from'", "did you mean {window.start}?"]),
        Case(
            name: "window end in params", from: "{window.end}", to: "{window.ned}",
            fragments: ["params 'to'", "did you mean {window.end}?"]),
        Case(
            name: "incremental in headers", from: "X-Since: \"{incremental.start_value}\"",
            to: "X-Since: \"{incremental.start_valu}\"",
            fragments: ["headers 'X-Since'", "did you mean {incremental.start_value}?"]),
        Case(
            name: "window in json", from: "month: \"{window}\"", to: "month: \"{windw}\"",
            fragments: ["json 'month'", "did you mean {window}?"]),
        Case(
            name: "nested json", from: "[\"{parent_id}\"]", to: "[\"{parent_idd}\"]",
            fragments: ["json 'filter.ids[0]'", "did you mean {parent_id}?"]),
        Case(
            name: "job id in the poll path", from: "\"jobs/{job_id}\"", to: "\"jobs/{jobid}\"",
            fragments: ["async_job poll path", "did you mean {job_id}?"]),
        Case(
            name: "partition in the download path", from: "{job_id}/{region}/results", to: "{job_id}/{regio}/results",
            fragments: ["async_job download path", "did you mean {region}?"]),
        Case(
            name: "job id in the cancel path", from: "jobs/{job_id}/cancel", to: "jobs/{jb_id}/cancel",
            fragments: ["async_job cancel path", "did you mean {job_id}?"]),
        Case(
            name: "incremental in the cancel json", from: "since: \"{incremental.start_value}\"}}",
            to: "since: \"{incremental.startvalue}\"}}",
            fragments: ["async_job cancel json 'since'", "did you mean {incremental.start_value}?"]),
        Case(
            name: "dlt's spelling of a parent's field", from: "parents/{parent_id}",
            to: "parents/{resources.parents.id}",
            fragments: ["{resources.parents.id}", "did you mean {parent_id}?"]),
        Case(
            name: "job id outside the job", from: "exports/{region}", to: "exports/{job_id}",
            fragments: ["{job_id} has a value only in async_job"]),
        Case(
            name: "incremental without an initial value", from: ", initial_value: \"2025-01-01T00:00:00Z\"", to: "",
            fragments: ["{incremental.start_value}", "has no value on a first run", "initial_value"]),
    ]

    @Test("every placeholder kind in every position loads")
    func validSpec() throws {
        let project = try SpecLoader(environment: [:]).parseSources(Self.valid, file: "sources.yaml")
        #expect(project.source(named: "api")?.resources.count == 2)
    }

    @Test(
        "a misspelt placeholder is an error at its location, with what is available and a suggestion", arguments: cases)
    func misspelt(_ c: Case) throws {
        try #require(Self.valid.components(separatedBy: c.from).count == 2, "the replaced text must occur once")
        let yaml = Self.valid.replacingOccurrences(of: c.from, with: c.to)
        let e = try #require(
            #expect(throws: SpecError.self) {
                _ = try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
            })
        for fragment in c.fragments { #expect(e.message.contains(fragment), "\(e)") }
        // The error points at the line holding the placeholder (for a removed initial value:
        // at the header that uses it).
        let marker = c.to.isEmpty ? "{incremental.start_value}" : c.to
        let line = try #require(yaml.components(separatedBy: "\n").firstIndex { $0.contains(marker) }) + 1
        #expect(e.location?.file == "sources.yaml")
        #expect(e.location?.line == line, "\(e)")
        #expect((e.location?.column ?? 0) > 1, "\(e)")
        if !c.name.contains("initial value") && !c.name.contains("job id outside") {
            #expect(e.message.contains("Available here: {"), "\(e)")
        }
    }

    @Test("with nothing available, the error says where placeholders come from")
    func nothingAvailable() throws {
        let yaml = """
            sources:
              api:
                client: {base_url: "http://example.invalid"}
                resources:
                  - {name: calls, endpoint: {path: "calls/{id}"}}
            """
        let e = try #require(
            #expect(throws: SpecError.self) { _ = try SpecLoader(environment: [:]).parseSources(yaml, file: "s.yaml") })
        #expect(e.location?.line == 5)
        #expect(e.message.contains("Nothing is available here"), "\(e)")
    }
}
