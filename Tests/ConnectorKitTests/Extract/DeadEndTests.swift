import APISandbox
import ConnectorKit
import Foundation
import Testing

/// For every paginator: a server that says more pages follow (a has-more flag, a total, a link
/// elsewhere) but gives no way to them makes the resource fail with the path it looked for —
/// never a success with the first pages only.
@Suite("A page that says 'more' without saying where fails the resource")
struct DeadEndTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let kind: PaginatorSpec.Kind
        let paginator: String
        /// The body for a request (by its query), and extra response headers.
        let respond: @Sendable ([String: String]) -> (body: String, headers: [(String, String)])
        /// Fragments the failure must contain.
        let message: [String]
        var testDescription: String { "\(kind.rawValue): \(name)" }
    }

    static let three = #"[{"id":1},{"id":2},{"id":3}]"#
    static func page(_ extra: String) -> @Sendable ([String: String]) -> (body: String, headers: [(String, String)]) {
        { _ in (#"{"items":\#(three)\#(extra)}"#, []) }
    }

    /// First page full, then an empty page carrying `extra` (offset and page-number walks).
    static func thenEmpty(_ param: String, first: String, _ extra: String)
        -> @Sendable ([String: String]) -> (body: String, headers: [(String, String)])
    {
        { q in ((q[param] ?? first) == first ? #"{"items":\#(three)\#(extra)}"# : #"{"items":[]\#(extra)}"#, []) }
    }

    static let cases: [Case] = [
        Case(
            name: "has_more in the body", kind: .single_page, paginator: "single_page",
            respond: page(#","has_more":true"#),
            message: ["single page", "'has_more' is true"]),
        Case(
            name: "a Link header", kind: .single_page, paginator: "single_page",
            respond: { _ in (#"{"items":\#(three)}"#, [("Link", "</items?page=2>; rel=\"next\"")]) },
            message: ["single page", "Link header"]),
        Case(
            name: "declared has_more, no link", kind: .json_link,
            paginator: "{type: json_link, next_url_path: links.next, has_more_path: meta.has_more}",
            respond: page(#","meta":{"has_more":true}"#),
            message: ["'meta.has_more' is true", "no next link at 'links.next'"]),
        Case(
            name: "declared !end_of_stream false, no link", kind: .json_link,
            paginator: "{type: json_link, next_url_path: after_url, has_more_path: '!end_of_stream'}",
            respond: page(#","end_of_stream":false"#),
            message: ["'end_of_stream' is false", "no next link at 'after_url'"]),
        Case(
            name: "Salesforce: done false, no nextRecordsUrl (undeclared end flag)", kind: .json_link,
            paginator: "{type: json_link, next_url_path: nextRecordsUrl}",
            respond: page(#","totalSize":5,"done":false"#),
            message: ["'done' is false", "no next link at 'nextRecordsUrl'"]),
        Case(
            name: "isLast false in a page object, no cursor", kind: .cursor,
            paginator: "{type: cursor, cursor_path: page.next, cursor_param: after}",
            respond: page(#","page":{},"isLast":false"#),
            message: ["'isLast' is false", "no cursor at 'page.next'"]),
        Case(
            name: "next_url_path not set, the link is elsewhere", kind: .json_link, paginator: "{type: json_link}",
            respond: page(#","links":{"next":"/items?page=2"}"#),
            message: ["a next link at 'links.next'", "next_url_path is not set"]),
        Case(
            name: "has_more in the body, no Link header", kind: .header_link, paginator: "header_link",
            respond: page(#","hasMore":true"#), message: ["'hasMore' is true", "Link header with rel=\"next\""]),
        Case(
            name: "a total not reached", kind: .offset, paginator: "{type: offset, limit: 3, total_path: total}",
            respond: thenEmpty("offset", first: "0", #","total":611"#), message: ["total at 'total' (611)", "offset 3"]),
        Case(
            name: "declared has_more on an empty page", kind: .offset,
            paginator: "{type: offset, limit: 3, has_more_path: has_more}",
            respond: thenEmpty("offset", first: "0", #","has_more":true"#), message: ["'has_more' is true", "offset 3"]),
        Case(
            name: "a short page that says more (page size capped)", kind: .offset,
            paginator: "{type: offset, limit: 10}",
            respond: page(#","pagination":{"hasMore":true}"#),
            message: ["fewer than the limit 10", "'pagination.hasMore' is true"]),
        Case(
            name: "a page count not reached", kind: .page_number, paginator: "{type: page_number, total_path: pages}",
            respond: thenEmpty("page", first: "1", #","pages":5"#), message: ["page count at 'pages' (5)", "page 2"]),
        Case(
            name: "an empty page that says more", kind: .page_number, paginator: "{type: page_number}",
            respond: thenEmpty("page", first: "1", #","meta":{"hasMore":true}"#),
            message: ["page 2", "'meta.hasMore' is true"]),
        Case(
            name: "Stripe: has_more true, no cursor", kind: .cursor,
            paginator:
                "{type: cursor, cursor_path: next_cursor, cursor_param: starting_after, has_more_path: has_more}",
            respond: page(#","object":"list","has_more":true"#),
            message: ["'has_more' is true", "no cursor at 'next_cursor'"]),
        Case(
            name: "has_more not declared", kind: .cursor, paginator: "{type: cursor, cursor_path: next_cursor}",
            respond: page(#","has_more":true"#), message: ["'has_more' is true", "no cursor at 'next_cursor'"]),
        Case(
            name: "Stripe: has_more true, an empty page, no last record", kind: .cursor,
            paginator:
                "{type: cursor, cursor_from: last_record, cursor_param: starting_after, has_more_path: has_more}",
            respond: { _ in (#"{"items":[],"has_more":true}"#, []) },
            message: ["'has_more' is true", "no cursor at 'id' in the last record (the page held no records)"]),
        Case(
            name: "a cursor from the last record, which lacks it, and no has_more", kind: .cursor,
            paginator: "{type: cursor, cursor_from: last_record, cursor_path: key, cursor_param: starting_after}",
            respond: page(""), message: ["3 record(s) but no cursor at 'key' in the last record", "has_more_path"]),
        Case(
            name: "has_more in the body, no cursor header", kind: .header_cursor,
            paginator: "{type: header_cursor, cursor_key: X-Next-Page}",
            respond: page(#","meta":{"has_more":true}"#),
            message: ["'meta.has_more' is true", "no cursor in the 'X-Next-Page' header"]),
        Case(
            name: "Stripe shape, nothing declared", kind: .auto, paginator: "auto",
            respond: page(#","object":"list","has_more":true"#),
            message: ["no paginator is declared", "'has_more' is true", "links.next", "next_cursor"]),
    ]

    @Test("the resource fails and names what it looked for", arguments: cases)
    func deadEnd(_ c: Case) async throws {
        let server = try await LoopbackHTTPServer.start { r in
            let (body, headers) = c.respond(r.query)
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
        }
        let project = try TestPipeline.project(
            baseURL: server.baseURL,
            resourceYAML:
                "      - {name: items, endpoint: {path: items, data_selector: items, paginator: \(c.paginator)}}")
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.status == .failed, "loaded \(outcome.rows["items"] ?? 0) rows and called it \(outcome.status)")
        for fragment in c.message { #expect(outcome.message?.contains(fragment) == true, "\(outcome.message ?? "")") }
        #expect(!report.committed)
    }

    @Test("every paginator kind is covered")
    func coverage() {
        #expect(Set(Self.cases.map(\.kind)) == Set(PaginatorSpec.Kind.allCases))
    }
}

/// A declared stop condition wins over a link or cursor that a last page still carries.
@Suite("Declared stop conditions win over a stale link")
struct StopConditionTests {
    static let total = 7

    /// Pages of three; the last one still links on. `emptyTail` adds an empty page after it.
    static func server(emptyTail: Bool) async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer.start { r in
            let at = Int(r.query["at"] ?? "0") ?? 0
            let end = min(total, at + 3)
            let items = (at..<end).map { "{\"id\":\($0)}" }.joined(separator: ",")
            let more = end < total || (emptyTail && at < total)
            let body =
                #"{"data":[\#(items)],"links":{"next":"\#(r.origin)/items?at=\#(end)"},"meta":{"has_more":\#(more)}}"#
            return SandboxResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
    }

    func run(_ paginator: String, emptyTail: Bool) async throws -> ResourceReport {
        let server = try await Self.server(emptyTail: emptyTail)
        let project = try TestPipeline.project(
            baseURL: server.baseURL,
            resourceYAML: "      - {name: items, endpoint: {path: items, data_selector: data, paginator: \(paginator)}}"
        )
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        return try #require(report.outcomes.first)
    }

    @Test("has_more_path false ends the walk although links.next is still there")
    func hasMoreWins() async throws {
        let outcome = try await run(
            "{type: json_link, next_url_path: links.next, has_more_path: meta.has_more}", emptyTail: false)
        #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
        #expect(outcome.rows["items"] == Self.total)
        #expect(outcome.pages == 3)
    }

    @Test("stop_after_empty_page ends the walk on the empty last page that still links on")
    func emptyPageWins() async throws {
        let outcome = try await run(
            "{type: json_link, next_url_path: links.next, stop_after_empty_page: true}", emptyTail: true)
        #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
        #expect(outcome.rows["items"] == Self.total)
        #expect(outcome.pages == 4)
    }

    @Test("without a declared stop, an empty page that links on is still an error")
    func undeclaredIsAnError() async throws {
        let outcome = try await run("{type: json_link, next_url_path: links.next}", emptyTail: true)
        #expect(outcome.status == .failed)
        #expect(outcome.message?.contains("empty page claims more pages follow") == true, "\(outcome.message ?? "")")
        #expect(outcome.message?.contains("stop_after_empty_page") == true, "\(outcome.message ?? "")")
    }
}
