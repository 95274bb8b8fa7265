@testable import ConnectorKit
import Testing

/// The unknown-key error of a place lists exactly its key table, in the order the reader reads
/// them (the order the error listed them in before the tables existed); for a place whose keys
/// depend on its `type`, only that type's keys.
@Suite("Key tables: what each place accepts")
struct KeyTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let place: String
        /// A spec with `zzz: 1` where the place's keys are.
        let yaml: String
        let line: Int
        let valid: String
        var testDescription: String { place }
    }

    static func spec(client: String = "{base_url: x}", resource: String = "{name: r}") -> String {
        "sources:\n  a:\n    client: \(client)\n    resources:\n      - \(resource)\n"
    }

    static let cases: [Case] = [
        Case(
            place: "client", yaml: spec(client: "{base_url: x, zzz: 1}"), line: 3,
            valid: "base_url, auth, headers, paginator, rate_limit, max_concurrency, retry, timeout, idle_timeout"),
        Case(
            place: "api_key auth", yaml: spec(client: "{base_url: x, auth: {type: api_key, api_key: k, zzz: 1}}"),
            line: 3,
            valid: "type, headers, query, location, name, api_key"),
        Case(
            place: "offset paginator", yaml: spec(client: "{base_url: x, paginator: {type: offset, zzz: 1}}"), line: 3,
            valid:
                "type, limit, offset_param, limit_param, total_path, offset_body_path, limit_body_path, has_more_path, "
                + "stop_after_empty_page"),
        Case(
            place: "resource", yaml: spec(resource: "{name: r, zzz: 1}"), line: 5,
            valid: "name, endpoint, primary_key, write_disposition, include_from_parent, tables, async_job, "
                + "max_table_nesting, enabled, schema_contract, retention, columns, processing_steps, selected, checks"),
        Case(
            place: "time_windows partition",
            yaml: spec(
                resource: "{name: r, endpoint: {partitions: {w: {type: time_windows, start: 2024-01-01, zzz: 1}}}}"),
            line: 5, valid: "type, start, end, interval, start_bound, end_bound, precision"),
        Case(
            place: "incremental", yaml: spec(resource: "{name: r, endpoint: {incremental: {cursor_path: t, zzz: 1}}}"),
            line: 5,
            valid: "cursor_path, start_param, end_param, initial_value, end_value, lookback, cursor_format, "
                + "request_format, on_cursor_value_missing"),
    ]

    @Test("the unknown-key error lists the place's key table", arguments: cases)
    func unknownKey(_ c: Case) throws {
        let loader = SpecLoader(environment: [:])
        let error = #expect(throws: SpecError.self) { try loader.parseSources(c.yaml, file: "sources.yaml") }
        let text = try #require(error).description
        #expect(text.contains("unknown key 'zzz'"), "\(text)")
        #expect(text.hasSuffix("Valid keys: \(c.valid)"), "\(text)")
        #expect(text.hasPrefix("sources.yaml:\(c.line):"), "\(text)")
    }

    @Test("every table lists each key once, and a place whose keys depend on its type starts with 'type'")
    func tablesAreWellFormed() {
        for table in SpecKeys.all {
            #expect(Set(table.keys).count == table.keys.count, "\(table.place) lists a key twice")
        }
        for kind in PaginatorSpec.Kind.allCases {
            let keys = PaginatorSpec.keys + PaginatorSpec.keys(for: kind)
            #expect(Set(keys).count == keys.count, "paginator \(kind) lists a key twice")
        }
        #expect(AuthSpec.keys == ["type"] && PaginatorSpec.keys == ["type"] && PartitionSpec.keys == ["type"])
    }

    @Test("a download with both 'path' and 'url_path' is refused at 'url_path'")
    func downloadTakesOne() throws {
        let job = "{job_id_path: id, poll: {path: p, status_path: s}, download: {path: d,\n          url_path: u}}"
        let yaml = Self.spec(resource: "{name: r, async_job: \(job)}")
        let error = #expect(throws: SpecError.self) {
            try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        }
        let text = try #require(error).description
        #expect(text.hasPrefix("sources.yaml:6:"), "\(text)")
        #expect(text.contains("'download' takes 'path' or 'url_path', not both"), "\(text)")
    }

    @Test("a poll max_interval shorter than its interval is refused at the poll")
    func pollBackoffBounds() {
        let job =
            "{job_id_path: id, poll: {path: p, status_path: s, interval: 5s, max_interval: 1s}, download: {path: d}}"
        let yaml = Self.spec(resource: "{name: r, async_job: \(job)}")
        expectRefused("'max_interval' of poll must be at least its 'interval'", at: "sources.yaml:5:") {
            try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        }
    }
}
