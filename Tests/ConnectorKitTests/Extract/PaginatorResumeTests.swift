import ConnectorKit
import Testing

/// A paginator restored from what it saved after a page asks for the same pages, in the same
/// order, as the one that never stopped — what a resumed run relies on.
@Suite("Paginators carry on after a restart")
struct PaginatorResumeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let spec: PaginatorSpec
        /// Bodies of the pages, in order.
        let pages: [String]
        var testDescription: String { "\(spec)" }
    }

    static let cases: [Case] = [
        Case(
            spec: .offset(limit: 2, offsetParam: "offset", limitParam: "limit", totalPath: "total", hasMorePath: nil),
            pages: [#"{"data":[1,2],"total":6}"#, #"{"data":[3,4],"total":6}"#, #"{"data":[5,6],"total":6}"#]),
        Case(
            spec: .pageNumber(pageParam: "page", basePage: 1, totalPagesPath: nil),
            pages: [#"{"data":[1,2]}"#, #"{"data":[3]}"#, #"{"data":[4]}"#, #"{"data":[]}"#]),
        Case(
            spec: .cursor(cursorPath: "next", cursorParam: "after", hasMorePath: nil),
            pages: [#"{"data":[1],"next":"a"}"#, #"{"data":[2],"next":"b"}"#, #"{"data":[3]}"#]),
        Case(
            spec: .offset(
                limit: 2, offsetParam: "offset", limitParam: "limit", totalPath: "total", hasMorePath: nil,
                offsetBodyPath: "page.offset", limitBodyPath: "page.limit"),
            pages: [#"{"data":[1,2],"total":6}"#, #"{"data":[3,4],"total":6}"#, #"{"data":[5,6],"total":6}"#]),
        Case(
            spec: .cursor(cursorPath: "next", cursorParam: "after", hasMorePath: nil, cursorBodyPath: "after"),
            pages: [#"{"data":[1],"next":"a"}"#, #"{"data":[2],"next":"b"}"#, #"{"data":[3]}"#]),
        Case(
            spec: .cursor(cursorPath: "id", cursorParam: "starting_after", hasMorePath: "has_more", from: .last_record),
            pages: [
                #"{"data":[{"id":"o1"}],"has_more":true}"#, #"{"data":[{"id":"o2"}],"has_more":true}"#,
                #"{"data":[{"id":"o3"}],"has_more":false}"#,
            ]),
        Case(
            spec: .auto,
            pages: [#"{"data":[1],"next_cursor":"x1"}"#, #"{"data":[2],"next_cursor":"x2"}"#, #"{"data":[3]}"#]),
        Case(
            spec: .jsonLink(nextURLPath: "links.next"),
            pages: [
                #"{"data":[1],"links":{"next":"http://h/p?at=1"}}"#,
                #"{"data":[2],"links":{"next":"http://h/p?at=2"}}"#, #"{"data":[3]}"#,
            ]),
    ]

    /// Requests made walking `pages`, restarting from a saved state after page `restartAfter`.
    static func walk(_ c: Case, restartAfter: Int?) throws -> [String] {
        let parser = JSONParser()
        var paginator = c.spec.make()
        var request = paginator.initial(PageRequest(method: "GET", url: "http://h/p", params: [("q", "1")], body: nil))
        var urls: [String] = []
        for (index, body) in c.pages.enumerated() {
            urls.append(request.fullURL + " " + String(decoding: request.body ?? [], as: UTF8.self))
            let document = try parser.parse(Array(body.utf8))
            let records = document["data"].map { Array($0.elements) } ?? []
            paginator.update(
                response: HTTPResponse(status: 200, headers: [], body: Array(body.utf8)), document: document,
                records: records.count, lastRecord: records.last)
            guard paginator.hasNext else { break }
            request = paginator.next(request)
            if index == restartAfter {
                // What a checkpoint holds: the next request and the paginator's saved state.
                let stored = PageRequestRecord(request)
                let saved = paginator.saved
                paginator = c.spec.make()
                paginator.restore(saved)
                request = stored.request
            }
        }
        return urls
    }

    @Test("same requests with and without a restart", arguments: cases)
    func sameRequests(_ c: Case) throws {
        let straight = try Self.walk(c, restartAfter: nil)
        #expect(straight.count >= 3)
        for restart in 0..<(straight.count - 1) {
            #expect(try Self.walk(c, restartAfter: restart) == straight, "restarted after page \(restart + 1)")
        }
    }
}
