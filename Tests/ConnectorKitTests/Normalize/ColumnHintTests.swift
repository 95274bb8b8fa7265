@testable import ConnectorKit
import APISandbox
import Foundation
import Testing

/// `columns:` hints beyond the type: `nullable: false` fails a record without the column, and
/// `precision` / `scale` fail a number that a decimal(p,s) would round — loudly, before loading.
@Suite("Column hints: nullable and precision")
struct ColumnHintTests {
    static let digits: [(String, Int, Int)] = [
        ("123.45", 3, 2), ("-0012.3400", 2, 2), ("0.001", 0, 3), ("1.5e3", 4, 0), ("12e-2", 0, 2),
        ("100", 3, 0), ("1E+2", 3, 0), ("0", 0, 0),
    ]

    @Test("significant digits before and after the point", arguments: digits)
    func significant(_ c: (String, Int, Int)) throws {
        let d = try #require(ColumnCheck.digits(c.0))
        #expect(d.integer == c.1 && d.fraction == c.2, "\(c.0): \(d)")
    }

    static let columns =
        "        columns: {key: {nullable: false}, amount: {data_type: decimal, precision: 6, scale: 2}}"

    /// (records, failure message part or nil when they load).
    static let cases: [(String, String?)] = [
        (#"[{"key":"a","amount":1234.5},{"key":"b","amount":0.01},{"key":"c"}]"#, nil),
        (
            #"[{"key":"a","amount":1.5},{"amount":2}]"#,
            "column 'key' is declared nullable: false, but a record has no value"
        ),
        (#"[{"key":null,"amount":1.5}]"#, "column 'key' is declared nullable: false"),
        (#"[{"key":"a","amount":12345.6}]"#, "12345.6 does not fit decimal(6,2) exactly"),
        (#"[{"key":"a","amount":1.005}]"#, "1.005 does not fit decimal(6,2) exactly"),
    ]

    @Test("a record without a required column, or a number that would be rounded, fails the resource", arguments: cases)
    func enforced(_ c: (String, String?)) async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            SandboxResponse(status: 200, body: Array(#"{"items":\#(c.0)}"#.utf8))
        }
        let resource = """
                  - name: items
                    endpoint: {path: items, paginator: single_page, data_selector: items}
            \(Self.columns)
            """
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: resource)
        let destination = MemoryDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        if let failure = c.1 {
            #expect(outcome.status == .failed)
            #expect(outcome.message?.contains(failure) == true, "\(outcome.message ?? "")")
            #expect(destination.rows.isEmpty)
        } else {
            #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
            #expect(destination.rows["items"] == 3)
        }
    }

    static let refused: [(String, String)] = [
        ("{amount: {data_type: double, precision: 6}}", "precision and scale need data_type: decimal"),
        ("{amount: {data_type: decimal, precision: 2, scale: 3}}", "a precision at least the scale"),
        ("{amount: {nullable: true}}", "needs 'data_type'"),
        ("{amount: {nulable: false}}", "did you mean 'nullable'?"),
    ]

    @Test("hints that cannot hold are refused at load, where written", arguments: refused)
    func refusedAtLoad(_ c: (String, String)) throws {
        let resource = "      - {name: items, endpoint: {path: items}, columns: \(c.0)}"
        expectRefused(c.1, at: "test.yaml:8:") {
            try TestPipeline.project(baseURL: "http://127.0.0.1:1", resourceYAML: resource)
        }
    }
}
