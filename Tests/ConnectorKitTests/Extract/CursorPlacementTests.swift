import APISandbox
import ConnectorKit
import Foundation
import Testing

/// The cursor paginators added for parity with dlt's `rest_api`: a cursor taken from the last
/// record (Stripe), a cursor or offset written into the JSON body (HubSpot / Notion searches),
/// a cursor read from a response header. Each walks `total` items on a loopback server that
/// serves them only when asked the documented way.
@Suite("Cursor from the last record, in the JSON body, from a header")
struct CursorPlacementTests {
    static let total = 23
    static let pageSize = 5

    static func json(_ text: String, headers: [(String, String)] = []) -> SandboxResponse {
        SandboxResponse(status: 200, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    static func items(from start: Int) -> (text: String, end: Int) {
        let end = min(total, start + pageSize)
        return ("[" + (start..<end).map { #"{"id":"obj_\#($0)","n":\#($0)}"# }.joined(separator: ",") + "]", end)
    }

    static func body(_ r: SandboxRequest) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    /// One server speaking every style, by path; every request's query or body is logged.
    static func handler(_ r: SandboxRequest, log: LockedBox<[String]>) -> SandboxResponse {
        let line = r.method + " " + r.path + " " + r.rawQuery + " " + String(decoding: r.body, as: UTF8.self)
        log.withLock { $0.append(line) }
        switch r.path {
        case "/stripe":  // starting_after=<id of the last object>
            let start = r.query["starting_after"].flatMap { Int($0.dropFirst(4)) }.map { $0 + 1 } ?? 0
            let (list, end) = items(from: start)
            return json(#"{"object":"list","data":\#(list),"has_more":\#(end < total)}"#)
        case "/notion":  // POST {start_cursor}; next_cursor + has_more
            guard r.method == "POST", body(r)["filter"] != nil else { return SandboxResponse(status: 400, body: []) }
            let start = (body(r)["start_cursor"] as? String).flatMap { Int($0.dropFirst(2)) } ?? 0
            let (list, end) = items(from: start)
            let next = end < total ? #""c-\#(end)""# : "null"
            return json(#"{"results":\#(list),"next_cursor":\#(next),"has_more":\#(end < total)}"#)
        case "/offset-body":  // POST {offset, limit} as numbers
            let b = body(r)
            guard let offset = b["offset"] as? Int, b["limit"] as? Int == pageSize else {
                return SandboxResponse(status: 400, body: [])
            }
            return json(#"{"results":\#(items(from: offset).text),"total":\#(total)}"#)
        case "/header":  // X-Next-Cursor header, ?cursor=
            let start = r.query["cursor"].flatMap(Int.init) ?? 0
            let (list, end) = items(from: start)
            return json(list, headers: end < total ? [("X-Next-Cursor", String(end))] : [])
        default:
            return SandboxResponse(status: 404, body: [])
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let endpoint: String
        /// A fragment every request after the first carries.
        let follow: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "Stripe: starting_after = the last record's id",
            endpoint:
                "{path: stripe, data_selector: data, paginator: {type: cursor, cursor_from: last_record, "
                + "cursor_path: id, cursor_param: starting_after, has_more_path: has_more}}",
            follow: "starting_after=obj_"),
        Case(
            name: "Notion: start_cursor in the JSON body",
            endpoint:
                "{path: notion, method: POST, json: {filter: {property: x}, page_size: 5}, data_selector: results, "
                + "paginator: {type: cursor, cursor_path: next_cursor, cursor_body_path: start_cursor, "
                + "has_more_path: has_more}}",
            follow: #""start_cursor":"c-"#),
        Case(
            name: "offset and limit in the JSON body",
            endpoint:
                "{path: offset-body, method: POST, json: {query: x}, data_selector: results, paginator: {type: offset, "
                + "limit: 5, offset_body_path: offset, limit_body_path: limit, total_path: total}}",
            follow: #""offset":"#),
        Case(
            name: "header_cursor: X-Next-Cursor sent back as ?cursor=",
            endpoint: "{path: header, paginator: {type: header_cursor, cursor_key: X-Next-Cursor}}",
            follow: "cursor="),
    ]

    @Test("loads every item, asking for each next page the documented way", arguments: cases)
    func walks(_ c: Case) async throws {
        let log = LockedBox([String]())
        let server = try await LoopbackHTTPServer.start { Self.handler($0, log: log) }
        let project = try TestPipeline.project(
            baseURL: server.baseURL, resourceYAML: "      - {name: items, endpoint: \(c.endpoint)}")
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
        #expect(outcome.rows["items"] == Self.total)
        let requests = log.withLock { $0 }
        #expect(requests.count == (Self.total + Self.pageSize - 1) / Self.pageSize)
        #expect(requests.dropFirst().allSatisfy { $0.contains(c.follow) }, "\(requests)")
    }

    @Test("the body keeps every other member, and nested paths are made")
    func bodyEdit() throws {
        let original = Array(#"{"filter":{"a":[1,2]},"paging":{"size":5},"q":"x"}"#.utf8)
        let spec = PaginatorSpec.cursor(
            cursorPath: "next", cursorParam: "cursor", hasMorePath: nil, cursorBodyPath: "paging.after")
        var paginator = spec.make()
        let page = Array(#"{"next":"tok\"1"}"#.utf8)
        let parser = JSONParser()
        paginator.update(
            response: HTTPResponse(status: 200, headers: [], body: page), document: try parser.parse(page), records: 1)
        let next = paginator.next(PageRequest(method: "POST", url: "http://h/x", params: [], body: original))
        let text = String(decoding: next.body ?? [], as: UTF8.self)
        #expect(text == #"{"filter":{"a":[1,2]},"paging":{"size":5,"after":"tok\"1"},"q":"x"}"#)
        #expect(next.params.isEmpty)
    }
}

/// The spec refuses what would page wrongly: a value sent both ways, a body that is no object.
@Suite("Body paginators: spec errors")
struct BodyPaginatorSpecTests {
    static func load(_ endpoint: String) throws -> ProjectSpec {
        try TestPipeline.project(
            baseURL: "http://127.0.0.1:1", resourceYAML: "      - {name: items, endpoint: \(endpoint)}")
    }

    @Test(
        "a refused spec names the problem",
        arguments: [
            (
                "{path: x, paginator: {type: cursor, cursor_param: after, cursor_body_path: after}}",
                "both 'cursor_param' and 'cursor_body_path'"
            ),
            (
                "{path: x, paginator: {type: offset, offset_param: o, offset_body_path: o}}",
                "both 'offset_param' and 'offset_body_path'"
            ),
            (
                "{path: x, method: POST, json: [1], paginator: {type: cursor, cursor_body_path: after}}",
                "'json' is not a mapping"
            ),
            ("{path: x, paginator: {type: cursor, cursor_from: first_record}}", "last_record"),
            ("{path: x, paginator: {type: header_cursor, cursor_body_path: $}}", "must name a field"),
        ])
    func refused(_ endpoint: String, _ fragment: String) {
        #expect {
            _ = try Self.load(endpoint)
        } throws: { error in
            "\(error)".contains(fragment) && "\(error)".contains("test.yaml:")
        }
    }
}
