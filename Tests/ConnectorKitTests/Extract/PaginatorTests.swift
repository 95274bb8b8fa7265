import APISandbox
import ConnectorKit
import Foundation
import Testing

/// Each paginator walks a small API served over loopback; the API serves `total` numbered
/// items in the style the paginator expects.
@Suite("Paginators against a loopback server")
struct PaginatorTests {
    static let total = 23

    static func items(_ range: Range<Int>) -> String {
        "[" + range.map { "{\"n\":\($0)}" }.joined(separator: ",") + "]"
    }

    static func json(_ text: String, headers: [(String, String)] = []) -> SandboxResponse {
        SandboxResponse(status: 200, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    /// One server speaking every style, by path.
    static func handler(_ r: SandboxRequest) -> SandboxResponse {
        let limit = Int(r.query["limit"] ?? "5") ?? 5
        switch r.path {
        case "/offset":
            let offset = Int(r.query["offset"] ?? "0") ?? 0
            return json("{\"data\":\(items(offset..<min(total, offset + limit))),\"total\":\(total)}")
        case "/shortmid":  // a total, but one page in the middle holds one item less than asked
            let offset = Int(r.query["offset"] ?? "0") ?? 0
            let end = offset == 5 ? 9 : min(total, offset + limit)
            return json("{\"data\":\(items(offset..<end)),\"total\":\(total)}")
        case "/short":  // no total: stops on the first short page
            let skip = Int(r.query["skip"] ?? "0") ?? 0
            return json(items(skip..<min(total, skip + limit)))
        case "/pages":
            let page = Int(r.query["page"] ?? "1") ?? 1
            let start = (page - 1) * 5
            return json("{\"results\":\(items(min(total, start)..<min(total, start + 5)))}")
        case "/link":
            let at = Int(r.query["at"] ?? "0") ?? 0
            let next = at + 5 < total ? ",\"links\":{\"next\":\"\(r.origin)/link?at=\(at + 5)\"}" : ""
            return json("{\"items\":\(items(at..<min(total, at + 5)))\(next)}")
        case "/header":
            let at = Int(r.query["at"] ?? "0") ?? 0
            let link =
                at + 5 < total
                ? [
                    (
                        "Link",
                        "<\(r.origin)/header?at=\(at + 5)>; rel=\"next\", <\(r.origin)/header?at=0>; rel=\"first\""
                    )
                ] : []
            return json(items(at..<min(total, at + 5)), headers: link)
        case "/cursor":
            let skip = Int(r.query["skip"] ?? "0") ?? 0
            let end = min(total, skip + 5)
            return json(
                "{\"calls\":\(items(skip..<end)),\"pagination\":{\"hasMore\":\(end < total),\"nextPageSkip\":\(end)}}")
        case "/loop":  // always the same next link
            return json("{\"items\":\(items(0..<2)),\"next\":\"\(r.origin)/loop?x=1\"}")
        default:
            return SandboxResponse(status: 404, body: [])
        }
    }

    func run(_ path: String, _ paginator: PaginatorSpec?) async throws -> (rows: Int, requests: Int) {
        let server = try await LoopbackHTTPServer.start(handler: Self.handler)
        defer { Task { await server.shutdown() } }
        return try await TestPipeline.rows(baseURL: server.baseURL, path: path, paginator: paginator)
    }

    @Test("offset with a total in the body")
    func offset() async throws {
        let r = try await run(
            "offset",
            .offset(limit: 5, offsetParam: "offset", limitParam: "limit", totalPath: "total", hasMorePath: nil))
        #expect(r.rows == Self.total)
        #expect(r.requests == 5)
    }

    @Test("offset with a total: pages asked ahead; a short page in the middle neither loses nor repeats an item")
    func offsetShortInTheMiddle() async throws {
        let r = try await run(
            "shortmid",
            .offset(limit: 5, offsetParam: "offset", limitParam: "limit", totalPath: "total", hasMorePath: nil))
        #expect(r.rows == Self.total)
    }

    @Test("limit/skip stopping on a short page")
    func shortPage() async throws {
        let r = try await run(
            "short", .offset(limit: 5, offsetParam: "skip", limitParam: "limit", totalPath: nil, hasMorePath: nil))
        #expect(r.rows == Self.total)
        #expect(r.requests == 5)
    }

    @Test("page numbers until an empty page")
    func pageNumber() async throws {
        let r = try await run("pages", .pageNumber(pageParam: "page", basePage: 1, totalPagesPath: nil))
        #expect(r.rows == Self.total)
        #expect(r.requests == 6)
    }

    @Test("next link in the body")
    func jsonLink() async throws {
        let r = try await run("link", .jsonLink(nextURLPath: "links.next"))
        #expect(r.rows == Self.total)
        #expect(r.requests == 5)
    }

    @Test("RFC 8288 Link header")
    func headerLink() async throws {
        let r = try await run("header", .headerLink(rel: "next"))
        #expect(r.rows == Self.total)
        #expect(r.requests == 5)
    }

    @Test("cursor sent back as a parameter, stopping on hasMore false")
    func cursor() async throws {
        let r = try await run(
            "cursor",
            .cursor(cursorPath: "pagination.nextPageSkip", cursorParam: "skip", hasMorePath: "pagination.hasMore"))
        #expect(r.rows == Self.total)
        #expect(r.requests == 5)
    }

    @Test("auto detects a next link and a Link header")
    func auto() async throws {
        #expect(try await run("link", .auto).rows == Self.total)
        #expect(try await run("header", .auto).rows == Self.total)
    }

    @Test("the same next page twice stops with a clear error instead of looping")
    func loop() async throws {
        let e = await #expect(throws: TestPipeline.Failure.self) {
            _ = try await run("loop", .jsonLink(nextURLPath: "next"))
        }
        #expect(e?.message.contains("same next page") == true, "\(String(describing: e))")
    }
}
