import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `response_actions` end to end on a loopback server: each action changes what a run does
/// with an answer, and what it ignored or loaded from a non-2xx status is in the report.
@Suite("response_actions against a loopback server")
struct ResponseActionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Extra `endpoint` keys (YAML flow, after `path: items`).
        let endpoint: String
        /// The answers, one per request in turn (the last repeats): status and body.
        let answers: [(Int, String)]
        /// Rows of `items`, or nil when the resource must fail.
        let rows: Int?
        let requests: Int
        /// Text the failure message or one of the notes must hold.
        let says: String?
        var testDescription: String { name }
    }

    static let job = #"{"message":{"id":7,"status":"FAILED"}}"#

    static let cases: [Case] = [
        Case(
            name: "a 404 ignored is counted in the report",
            endpoint: "response_actions: [{status: 404, action: ignore}]",
            answers: [(404, "{}")], rows: 0, requests: 1, says: "1 answer ignored (HTTP 404 ×1)"),
        Case(
            name: "ignore_statuses is the same rule", endpoint: "ignore_statuses: [404]",
            answers: [(404, "{}")], rows: 0, requests: 1, says: "1 answer ignored (HTTP 404 ×1)"),
        Case(
            name: "a 400 that carries the record loads", endpoint: Self.loadJob,
            answers: [(400, Self.job)], rows: 1, requests: 1, says: "1 non-2xx answer loaded as data (HTTP 400 ×1)"),
        Case(
            name: "a 500 that carries the record loads and is not retried", endpoint: Self.loadJob,
            answers: [(500, Self.job)], rows: 1, requests: 1, says: "(HTTP 500 ×1)"),
        Case(
            name: "a 500 the rule does not match is retried, then fails", endpoint: Self.loadJob,
            answers: [(500, #"{"error":"boom"}"#)], rows: nil, requests: 4, says: "HTTP 500"),
        Case(
            name: "a 400 no rule matches fails at once", endpoint: Self.loadJob,
            answers: [(400, #"{"error":"bad"}"#)], rows: nil, requests: 1, says: "HTTP 400"),
        Case(
            name: "fail: a 200 whose body says so fails with the rule's message, unretried",
            endpoint:
                #"response_actions: [{content: "quota exceeded", action: fail, message: "export quota used up"}]"#,
            answers: [(200, #"{"message":"quota exceeded"}"#)], rows: nil, requests: 1, says: "export quota used up"),
        Case(
            name: "retry: a 200 that says try later is sent again",
            endpoint:
                #"response_actions: [{status: 2xx, content: {path: state, equals: [BUSY, LOCKED]}, action: retry}]"#,
            answers: [(200, #"{"state":"BUSY"}"#), (200, #"{"message":{"id":1}}"#)], rows: 1, requests: 2, says: nil),
        Case(
            name: "fail: a retryable status declared final is not retried",
            endpoint: "response_actions: [{status: 503, action: fail, message: maintenance}]",
            answers: [(503, "{}")], rows: nil, requests: 1, says: "maintenance"),
    ]

    static let loadJob =
        "data_selector: message, response_actions: [{status: [400, 5xx], content: {path: message.id}, action: load}]"

    @Test("each action does what it says", arguments: cases)
    func action(_ c: Case) async throws {
        let count = LockedBox(0)
        let answers = c.answers
        let server = try await LoopbackHTTPServer.start { _ in
            let n = count.withLock { n in
                n += 1; return n
            }
            let (status, body) = answers[min(n, answers.count) - 1]
            return SandboxResponse(
                status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        let project = try TestPipeline.project(
            baseURL: server.baseURL,
            resourceYAML: "      - {name: items, endpoint: {path: items, paginator: single_page, \(c.endpoint)}}")
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        if let rows = c.rows {
            #expect(outcome.status == .succeeded, "\(report.rendered())")
            #expect((outcome.rows["items"] ?? 0) == rows)
        } else {
            #expect(outcome.status == .failed)
        }
        #expect(count.withLock { $0 } == c.requests, "requests sent")
        if let says = c.says {
            let text = ([outcome.message ?? ""] + outcome.notes).joined(separator: "\n")
            #expect(text.contains(says), "\(text)")
        }
    }
}
