import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `end_value` (a bounded backfill) and `on_cursor_value_missing`, against a loopback API that
/// ignores the range it is sent — so what loads is what the engine decided, and the request
/// shows what the API was asked.
@Suite("Incremental range and missing cursors")
struct IncrementalRangeTests {
    /// Serves `records` whatever it is asked; remembers each request's query.
    static func server(_ records: String, seen: LockedList<[String: String]>) async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer.start { r in
            seen.append(r.query)
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Array(#"{"items":\#(records)}"#.utf8))
        }
    }

    static func resource(_ incremental: String, endpoint: String = "") -> String {
        """
              - name: items
                primary_key: id
                write_disposition: merge
                endpoint:
                  path: items
                  paginator: single_page
                  data_selector: items
                  incremental: {cursor_path: updated, \(incremental)}
        \(endpoint)
        """
    }

    static let months =
        #"[{"id":1,"updated":"2025-01-15T00:00:00.000+0000"},{"id":2,"updated":"2025-02-15T09:00:00.000+0900"},"#
        + #"{"id":3,"updated":"2025-03-01T01:00:00.000+0100"},{"id":4,"updated":"2025-04-01T00:00:00.000+0000"}]"#

    /// A cursor stored by a regular run neither moves past the end nor back.
    @Test("end_value: the API is asked for the range; records at or past the end are not loaded")
    func backfill() async throws {
        let seen = LockedList<[String: String]>()
        let server = try await Self.server(Self.months, seen: seen)
        let yaml = Self.resource(
            #"start_param: since, end_param: until, initial_value: "2025-01-01T00:00:00Z", "#
                + #"end_value: "2025-03-01T00:00:00Z", request_format: epoch_seconds"#)
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: yaml)
        let fresh = MemoryDestination()
        let first = try await PipelineRunner(project: project, destination: fresh).run("test")
        let ahead = MemoryDestination()
        ahead.state["items"] = ResourceState(cursors: ["": "2025-06-01T00:00:00Z"])
        let second = try await PipelineRunner(project: project, destination: ahead).run("test")
        await server.shutdown()
        let outcome = try #require(first.outcomes.first)
        #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
        // Record 3 is 2025-03-01T00:00:00Z exactly: the end is open, as in dlt.
        #expect(outcome.rows["items"] == 2)
        #expect(
            outcome.notes.contains { $0.hasPrefix("2 record(s) at or past incremental end_value") }, "\(outcome.notes)")
        #expect(seen.items.first == ["since": "1735689600", "until": "1740787200"])
        #expect(fresh.state["items"]?.cursors[""] == "2025-02-15T09:00:00.000+0900")
        // A backfill reads its declared range whatever is stored, and leaves a later cursor alone.
        #expect(second.outcomes.first?.rows["items"] == 2)
        #expect(seen.items.last?["since"] == "1735689600")
        #expect(ahead.state["items"]?.cursors[""] == "2025-06-01T00:00:00Z")
    }

    @Test("{incremental.start_value} and {incremental.end_value} are converted in every position")
    func endValuePlaceholder() async throws {
        let seen = LockedList<[String: String]>()
        let server = try await Self.server("[]", seen: seen)
        let yaml = Self.resource(
            #"initial_value: "2025-01-01T10:15:30Z", end_value: "2025-01-02T10:15:30Z", "#
                + #"request_format: "yyyy-MM-dd HH:mm""#,
            endpoint: #"          params: {jql: 'updated >= "{incremental.start_value}" "#
                + #"AND updated < "{incremental.end_value}"'}"#)
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: yaml)
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        #expect(report.outcomes.first?.status == .succeeded, "\(report.outcomes.first?.message ?? "")")
        #expect(seen.items.first?["jql"] == #"updated >= "2025-01-01 10:15" AND updated < "2025-01-02 10:16""#)
    }

    static let records = #"[{"id":1,"updated":"2025-01-15T00:00:00Z"},{"id":2,"updated":null},{"id":3}]"#

    /// (policy, rows loaded, note, failure message part).
    static let policies: [(String, Int?, String?, String?)] = [
        ("", nil, nil, "a record has no value at cursor_path 'updated' (on_cursor_value_missing: raise"),
        ("on_cursor_value_missing: raise", nil, nil, "no value at cursor_path 'updated'"),
        ("on_cursor_value_missing: include", 3, nil, nil),
        ("on_cursor_value_missing: exclude", 1, "2 record(s) without a cursor value excluded", nil),
    ]

    @Test(
        "a record without a cursor fails the resource by default, loads, or is left out and counted",
        arguments: policies)
    func missingCursor(_ c: (String, Int?, String?, String?)) async throws {
        let seen = LockedList<[String: String]>()
        let server = try await Self.server(Self.records, seen: seen)
        let yaml = Self.resource(#"initial_value: "2025-01-01T00:00:00Z""# + (c.0.isEmpty ? "" : ", " + c.0))
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: yaml)
        let destination = MemoryDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        if let failure = c.3 {
            #expect(outcome.status == .failed)
            #expect(outcome.message?.contains(failure) == true, "\(outcome.message ?? "")")
            #expect(destination.committed.allSatisfy { $0.publications.isEmpty })
        } else {
            #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
            #expect(outcome.rows["items"] == c.1)
            #expect(destination.state["items"]?.cursors[""] == "2025-01-15T00:00:00Z")
        }
        if let note = c.2 { #expect(outcome.notes.contains { $0.hasPrefix(note) }, "\(outcome.notes)") }
    }

    @Test("epoch-millisecond cursors are saved as records carry them and sent as ISO 8601 on the next run")
    func epochMillisToISO() async throws {
        let seen = LockedList<[String: String]>()
        let records = #"[{"id":1,"updated":1740787200500},{"id":2,"updated":999}]"#
        let server = try await Self.server(records, seen: seen)
        let yaml = Self.resource(
            #"start_param: since, initial_value: "0", cursor_format: epoch_millis, request_format: iso8601"#)
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: yaml)
        let destination = MemoryDestination()
        _ = try await PipelineRunner(project: project, destination: destination).run("test")
        _ = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        #expect(destination.state["items"]?.cursors[""] == "1740787200500")
        #expect(seen.items.map { $0["since"] ?? "-" } == ["1970-01-01T00:00:00Z", "2025-03-01T00:00:00.500Z"])
    }
}
