import APISandbox
import ConnectorKit
import Foundation
import Testing

/// Responses that are wrong in the ways real APIs are wrong: each ends in a clear error or a
/// safe outcome, never a crash or a hang.
@Suite("Bad responses")
struct BadResponseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let contentType: String
        let body: String
        let selector: String?
        /// Rows expected in table `items`, or nil when the resource must fail.
        let rows: Int?
        /// Fragments the failure message (or nothing) must contain.
        let message: [String]
        var testDescription: String { name }
    }

    static let deep = String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)
    static let huge = String(repeating: "x", count: 2_000_000)

    static let cases: [Case] = [
        Case(
            name: "truncated JSON", contentType: "application/json", body: #"{"items":[{"id":1},{"id":"#,
            selector: "items",
            rows: nil, message: ["not JSON", "application/json"]),
        Case(
            name: "HTML error page with status 200", contentType: "text/html",
            body: "<html><body>Maintenance</body></html>",
            selector: "items", rows: nil, message: ["not JSON", "text/html", "Maintenance"]),
        Case(
            name: "JSON with the wrong content type", contentType: "text/plain",
            body: #"{"items":[{"id":1},{"id":2}]}"#,
            selector: "items", rows: 2, message: []),
        Case(
            name: "missing data selector", contentType: "application/json", body: #"{"data":[],"meta":{}}"#,
            selector: "items",
            rows: nil, message: ["data_selector 'items'", "data, meta"]),
        Case(
            name: "selector pointing at an object", contentType: "application/json",
            body: #"{"items":{"id":1,"name":"one"}}"#,
            selector: "items", rows: 1, message: []),
        Case(
            name: "huge string", contentType: "application/json", body: #"[{"id":1,"blob":""# + huge + #""}]"#,
            selector: nil, rows: 1, message: []),
        Case(
            name: "deep nesting", contentType: "application/json", body: "[" + deep + "]", selector: nil, rows: 1,
            message: []),
        Case(name: "empty body", contentType: "application/json", body: "", selector: "items", rows: 0, message: []),
        Case(
            name: "scalar where records should be", contentType: "application/json", body: #"{"items":42}"#,
            selector: "items",
            rows: 1, message: []),
    ]

    @Test("each bad response gets a clear error or a safe outcome", arguments: cases)
    func badResponse(_ c: Case) async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            SandboxResponse(status: 200, headers: [("Content-Type", c.contentType)], body: Array(c.body.utf8))
        }
        let selector = c.selector.map { ", data_selector: \($0)" } ?? ""
        let project = try TestPipeline.project(
            baseURL: server.baseURL,
            resourceYAML: "      - {name: items, endpoint: {path: x, paginator: single_page\(selector)}}")
        let destination = MemoryDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        if let rows = c.rows {
            #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
            #expect(outcome.rows["items"] ?? 0 == rows)
        } else {
            #expect(outcome.status == .failed)
            #expect(!report.committed, "nothing committed when every resource failed")
            for fragment in c.message {
                #expect(outcome.message?.contains(fragment) == true, "\(outcome.message ?? "")")
            }
        }
    }

    @Test("an empty page that claims more pages stops with a clear error")
    func emptyPageClaimingMore() async throws {
        let server = try await LoopbackHTTPServer.start { r in
            let skip = Int(r.query["skip"] ?? "0") ?? 0
            let body =
                skip == 0
                ? #"{"calls":[{"id":1}],"pagination":{"hasMore":true,"nextPageSkip":1}}"#
                : #"{"calls":[],"pagination":{"hasMore":true,"nextPageSkip":\#(skip + 1)}}"#
            return SandboxResponse(status: 200, body: Array(body.utf8))
        }
        let e = await #expect(throws: TestPipeline.Failure.self) {
            _ = try await TestPipeline.rows(
                baseURL: server.baseURL, path: "calls",
                paginator: .cursor(
                    cursorPath: "pagination.nextPageSkip", cursorParam: "skip", hasMorePath: "pagination.hasMore"))
        }
        await server.shutdown()
        #expect(e?.message.contains("empty page claims more pages") == true, "\(String(describing: e))")
    }
}
