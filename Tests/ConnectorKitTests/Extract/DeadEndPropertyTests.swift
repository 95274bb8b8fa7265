import APISandbox
import ConnectorKit
import Foundation
import Testing

/// A property of every paginator: whatever the number of pages and their size, and whichever
/// page it happens on, a page that says more follow but gives no way on fails the resource at
/// that page, naming what was looked for, and nothing is committed. Each generated case is
/// also run against the same server without the dead end, which must load every record: so
/// a failure is the dead end's doing, not a server the paginator cannot walk.
@Suite("Property: 'more' without a way on fails, for every paginator")
struct DeadEndPropertyTests {
    /// One walk: `pages` pages of `size` records; with `deadAt`, that page says more but gives no way on.
    struct Walk: Sendable {
        let pages: Int
        let size: Int
        let deadAt: Int?
        let origin: String

        func records(_ page: Int) -> String {
            let count = (0..<pages).contains(page) && page != emptyPage ? size : 0
            return "["
                + (0..<count).map { #"{"id":"r\#(page * size + $0)","n":\#(page * size + $0)}"# }
                .joined(separator: ",") + "]"
        }
        /// The page that is empty: where a counting paginator (offset, page number) is stuck.
        var emptyPage: Int? { deadAt }
        func isDead(_ page: Int) -> Bool { page == deadAt }
        func isLast(_ page: Int) -> Bool { page >= pages - 1 }
        func more(_ page: Int) -> Bool { isDead(page) || !isLast(page) }
    }

    typealias Reply = (body: String, headers: [(String, String)])

    struct Variant: Sendable {
        let name: String
        let kind: PaginatorSpec.Kind
        let endpoint: String
        /// Which page (from 0) a request asks for.
        let page: @Sendable (SandboxRequest, _ size: Int) -> Int
        let reply: @Sendable (Walk, _ page: Int) -> Reply
        /// What the failure must name, for a walk dead at a page.
        let message: @Sendable (Walk, _ deadAt: Int) -> [String]
        var onePage = false
    }

    static func query(_ name: String, prefix: String = "") -> @Sendable (SandboxRequest, Int) -> Int {
        { r, _ in r.query[name].flatMap { Int($0.dropFirst(prefix.count)) } ?? 0 }
    }

    static func bodyMember(_ r: SandboxRequest, _ path: [String]) -> Any? {
        var v: Any? = try? JSONSerialization.jsonObject(with: Data(r.body))
        for key in path { v = (v as? [String: Any])?[key] }
        return v
    }

    static let variants: [Variant] = [
        Variant(
            name: "single_page", kind: .single_page, endpoint: "{path: items, paginator: single_page}",
            page: { _, _ in 0 },
            reply: { w, p in (#"{"items":\#(w.records(p))\#(w.isDead(p) ? #","has_more":true"# : "")}"#, []) },
            message: { _, _ in ["single page", "'has_more' is true"] }, onePage: true),
        Variant(
            name: "json_link + has_more_path", kind: .json_link,
            endpoint: "{path: items, paginator: {type: json_link, next_url_path: links.next, has_more_path: more}}",
            page: query("p"),
            reply: { w, p in
                let link = w.more(p) && !w.isDead(p) ? #","links":{"next":"\#(w.origin)/items?p=\#(p + 1)"}"# : ""
                return (#"{"items":\#(w.records(p)),"more":\#(w.more(p))\#(link)}"#, [])
            },
            message: { _, _ in ["'more' is true", "no next link at 'links.next'"] }),
        Variant(
            name: "header_link", kind: .header_link, endpoint: "{path: items, paginator: header_link}",
            page: query("p"),
            reply: { w, p in
                let body = #"{"items":\#(w.records(p)),"hasMore":\#(w.more(p))}"#
                guard w.more(p), !w.isDead(p) else { return (body, []) }
                return (body, [("Link", "<\(w.origin)/items?p=\(p + 1)>; rel=\"next\"")])
            },
            message: { _, _ in ["'hasMore' is true", "Link header with rel=\"next\""] }),
        Variant(
            name: "offset + total", kind: .offset,
            endpoint: "{path: items, paginator: {type: offset, total_path: total}}",
            page: { r, size in (Int(r.query["offset"] ?? "0") ?? 0) / size },
            reply: { w, p in (#"{"items":\#(w.records(p)),"total":\#(w.pages * w.size)}"#, []) },
            message: { w, k in ["total at 'total' (\(w.pages * w.size))", "offset \(k * w.size)"] }),
        Variant(
            name: "offset in the JSON body", kind: .offset,
            endpoint:
                "{path: items, method: POST, json: {q: x}, paginator: {type: offset, offset_body_path: page.offset, "
                + "limit_body_path: page.limit, total_path: total}}",
            page: { r, size in (bodyMember(r, ["page", "offset"]) as? Int ?? -size) / size },
            reply: { w, p in (#"{"items":\#(w.records(p)),"total":\#(w.pages * w.size)}"#, []) },
            message: { w, k in ["total at 'total' (\(w.pages * w.size))", "offset \(k * w.size)"] }),
        Variant(
            name: "page_number + total pages", kind: .page_number,
            endpoint: "{path: items, paginator: {type: page_number, total_path: pages}}",
            page: { r, _ in (Int(r.query["page"] ?? "1") ?? 1) - 1 },
            reply: { w, p in (#"{"items":\#(w.records(p)),"pages":\#(w.pages + (w.deadAt == nil ? 0 : 1))}"#, []) },
            message: { w, k in ["page count at 'pages' (\(w.pages + 1))", "page \(k + 1)"] }),
        Variant(
            name: "cursor + has_more_path", kind: .cursor,
            endpoint:
                "{path: items, paginator: {type: cursor, cursor_path: next_cursor, cursor_param: after, "
                + "has_more_path: has_more}}",
            page: query("after", prefix: "c"),
            reply: { w, p in
                let cursor = w.more(p) && !w.isDead(p) ? #","next_cursor":"c\#(p + 1)""# : ""
                return (#"{"items":\#(w.records(p)),"has_more":\#(w.more(p))\#(cursor)}"#, [])
            },
            message: { _, _ in ["'has_more' is true", "no cursor at 'next_cursor'"] }),
        Variant(
            name: "cursor in the JSON body", kind: .cursor,
            endpoint:
                "{path: items, method: POST, json: {limit: 5}, paginator: {type: cursor, "
                + "cursor_path: paging.next.after, cursor_body_path: after, has_more_path: has_more}}",
            page: { r, _ in (bodyMember(r, ["after"]) as? String).flatMap { Int($0) } ?? 0 },
            reply: { w, p in
                let next = w.more(p) && !w.isDead(p) ? #","paging":{"next":{"after":"\#(p + 1)"}}"# : ""
                return (#"{"results":\#(w.records(p)),"has_more":\#(w.more(p))\#(next)}"#, [])
            },
            message: { _, _ in ["'has_more' is true", "no cursor at 'paging.next.after'"] }),
        Variant(
            name: "cursor from the last record, the dead page empty", kind: .cursor,
            endpoint:
                "{path: items, paginator: {type: cursor, cursor_from: last_record, cursor_param: starting_after, "
                + "has_more_path: has_more}}",
            page: { r, size in r.query["starting_after"].flatMap { Int($0.dropFirst()) }.map { ($0 + 1) / size } ?? 0 },
            reply: { w, p in (#"{"data":\#(w.records(p)),"has_more":\#(w.more(p))}"#, []) },
            message: { _, _ in ["'has_more' is true", "cursor at 'id' in the last record (the page held no records)"] }),
        Variant(
            name: "cursor from the last record, the field missing", kind: .cursor,
            endpoint:
                "{path: items, paginator: {type: cursor, cursor_from: last_record, cursor_path: key, "
                + "cursor_param: starting_after}}",
            page: { r, size in r.query["starting_after"].flatMap { Int($0.dropFirst()) }.map { ($0 + 1) / size } ?? 0 },
            reply: { w, p in
                // Every record carries `key` but the dead page's (which is not empty here).
                let full = Walk(pages: w.pages, size: w.size, deadAt: nil, origin: w.origin).records(p)
                let keyed = w.isDead(p) ? full : full.replacingOccurrences(of: #"{"id":"#, with: #"{"key":"#)
                return (#"{"data":\#(keyed),"has_more":\#(w.more(p))}"#, [])
            },
            message: { _, _ in ["'has_more' is true", "no cursor at 'key' in the last record"] }),
        Variant(
            name: "header_cursor, has_more not declared", kind: .header_cursor,
            endpoint: "{path: items, paginator: {type: header_cursor, cursor_key: X-Next}}",
            page: query("cursor"),
            reply: { w, p in
                let body = #"{"items":\#(w.records(p)),"has_more":\#(w.more(p))}"#
                return (body, w.more(p) && !w.isDead(p) ? [("X-Next", String(p + 1))] : [])
            },
            message: { _, _ in ["'has_more' is true", "cursor in the 'X-Next' header"] }),
        Variant(
            name: "auto (detects next_cursor)", kind: .auto, endpoint: "{path: items, paginator: auto}",
            page: query("cursor", prefix: "c"),
            reply: { w, p in
                let cursor = w.more(p) && !w.isDead(p) ? #","next_cursor":"c\#(p + 1)""# : ""
                return (#"{"items":\#(w.records(p)),"has_more":\#(w.more(p))\#(cursor)}"#, [])
            },
            message: { _, k in
                k == 0 ? ["no paginator is declared", "'has_more' is true"] : ["'has_more' is true", "next_cursor"]
            }),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        let variant: Int
        let pages: Int
        let size: Int
        let deadAt: Int
        var testDescription: String {
            "\(DeadEndPropertyTests.variants[variant].name): \(pages) page(s) of \(size), dead at page \(deadAt)"
        }
    }

    /// Four cases per variant: 1–5 pages of 1–4 records, the dead end on any of them (the first
    /// and the last page included for every variant that has more than one).
    static let cases: [Case] = {
        var random = FuzzRandom(state: 0x5EED_13)
        return variants.indices.flatMap { v in
            (0..<4).map { n in
                let pages = variants[v].onePage ? 1 : Int.random(in: 2...5, using: &random)
                let size = Int.random(in: 1...4, using: &random)
                let deadAt = n == 0 ? 0 : n == 1 ? pages - 1 : Int.random(in: 0..<pages, using: &random)
                return Case(variant: v, pages: pages, size: size, deadAt: deadAt)
            }
        }
    }()

    func run(_ variant: Variant, pages: Int, size: Int, deadAt: Int?) async throws -> (ResourceReport, Bool) {
        let server = try await LoopbackHTTPServer.start { r in
            let walk = Walk(pages: pages, size: size, deadAt: deadAt, origin: r.origin)
            let (body, headers) = variant.reply(walk, variant.page(r, size))
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
        }
        let endpoint = variant.endpoint.replacingOccurrences(
            of: "{type: offset,", with: "{type: offset, limit: \(size),")
        let project = try TestPipeline.project(
            baseURL: server.baseURL, resourceYAML: "      - {name: items, endpoint: \(endpoint)}")
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        return (try #require(report.outcomes.first), report.committed)
    }

    @Test("fails at the dead page, naming what it looked for; the same walk without it loads all", arguments: cases)
    func deadEnd(_ c: Case) async throws {
        let variant = Self.variants[c.variant]
        let (healthy, _) = try await run(variant, pages: c.pages, size: c.size, deadAt: nil)
        #expect(healthy.status == .succeeded, "control walk: \(healthy.message ?? "")")
        #expect(healthy.rows["items"] == c.pages * c.size, "control walk")

        let (outcome, committed) = try await run(variant, pages: c.pages, size: c.size, deadAt: c.deadAt)
        #expect(outcome.status == .failed, "loaded \(outcome.rows["items"] ?? 0) rows and called it \(outcome.status)")
        #expect(!committed)
        #expect(outcome.pages == c.deadAt + 1, "the walk must go on to the dead page and stop there")
        let walk = Walk(pages: c.pages, size: c.size, deadAt: c.deadAt, origin: "")
        for fragment in variant.message(walk, c.deadAt) {
            #expect(outcome.message?.contains(fragment) == true, "\(outcome.message ?? "")")
        }
    }

    @Test("every paginator type has a variant")
    func coverage() {
        #expect(Set(Self.variants.map(\.kind)) == Set(PaginatorSpec.Kind.allCases))
    }
}

/// The fuzz tests' seeded generator, for `Int.random(in:using:)`.
extension FuzzRandom: RandomNumberGenerator {}
