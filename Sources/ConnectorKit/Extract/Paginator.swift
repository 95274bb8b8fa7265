/// The request for one page: URL without pagination, query parameters, body.
public struct PageRequest: Sendable {
    public var method: String
    public var url: String
    public var params: [(String, String)]
    public var body: [UInt8]?

    public init(method: String, url: String, params: [(String, String)], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.params = params
        self.body = body
    }

    public func setting(_ name: String, _ value: String) -> PageRequest {
        var copy = self
        copy.params.removeAll { $0.0 == name }
        copy.params.append((name, value))
        return copy
    }

    /// The request for a next-page link: the link replaces URL and parameters (it holds them).
    public func following(_ link: String) -> PageRequest {
        var r = self
        r.url = URLText.isAbsolute(link) ? link : URLText.join(URLText.origin(url) ?? "", link)
        r.params = []
        return r
    }

    /// The full URL with parameters.
    public var fullURL: String { URLText.settingQuery(url, params) }
}

/// Walks the pages of one request: a small state machine in four steps, as in dlt — prepare
/// the first request, read each response, rewrite the request, say whether there is more.
public protocol Paginator: Sendable {
    /// Adds what the first request needs (e.g. `limit`, `offset=0`).
    func initial(_ request: PageRequest) -> PageRequest
    /// Reads a response; `records` is how many the page held.
    mutating func update(response: HTTPResponse, document: JSONValue?, records: Int)
    var hasNext: Bool { get }
    /// The request for the next page.
    func next(_ request: PageRequest) -> PageRequest
    /// Where the walk stands (next link, cursor, offset), to detect loops and to checkpoint.
    var position: String? { get }
    /// What it needs, besides the next request, to carry on after a restart (a counter, the
    /// detected kind); links and cursors come back with the next response.
    var saved: [String: String] { get }
    mutating func restore(_ saved: [String: String])
    /// The requests that will follow `request`, as far as they are known now (at most
    /// `count`), so that they can be under way while this page is normalized: the next one
    /// for links and cursors, several when an offset walk knows its total.
    func lookahead(_ request: PageRequest, count: Int) -> [PageRequest]
}

extension Paginator {
    public var saved: [String: String] { [:] }
    public mutating func restore(_ saved: [String: String]) {}
    public func lookahead(_ request: PageRequest, count: Int) -> [PageRequest] { hasNext ? [next(request)] : [] }
}

/// One request, no pages.
public struct SinglePagePaginator: Paginator {
    public init() {}
    public func initial(_ request: PageRequest) -> PageRequest { request }
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {}
    public var hasNext: Bool { false }
    public func next(_ request: PageRequest) -> PageRequest { request }
    public var position: String? { nil }
}

/// The next page's URL is in the body (`nextLink`, `next`, `links.next`).
public struct JSONLinkPaginator: Paginator {
    let path: JSONPath
    var nextURL: String?
    public init(nextURLPath: String) { path = JSONPath(nextURLPath) }
    public func initial(_ request: PageRequest) -> PageRequest { request }
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        nextURL = document.flatMap { path.evaluate($0) }.flatMap { $0.kind == .string ? $0.string : nil }
        if nextURL?.isEmpty == true { nextURL = nil }
    }
    public var hasNext: Bool { nextURL != nil }
    public func next(_ request: PageRequest) -> PageRequest { nextURL.map(request.following) ?? request }
    public var position: String? { nextURL }
}

/// The next page's URL is in an RFC 8288 `Link` header.
public struct HeaderLinkPaginator: Paginator {
    let rel: String
    var nextURL: String?
    public init(rel: String = "next") { self.rel = rel }
    public func initial(_ request: PageRequest) -> PageRequest { request }
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        nextURL = response.header("Link").flatMap { Self.link(rel: rel, in: $0) }
    }
    public var hasNext: Bool { nextURL != nil }
    public func next(_ request: PageRequest) -> PageRequest { nextURL.map(request.following) ?? request }
    public var position: String? { nextURL }

    static func link(rel: String, in header: String) -> String? {
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingSpaces }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let rels = pieces.dropFirst().filter { $0.hasPrefix("rel=") }.flatMap {
                $0.dropFirst(4).trimmingCharacters(in: "\"").split(separator: " ").map(String.init)
            }
            if rels.contains(rel) { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }
}

/// `limit` + `offset` (or `skip`); stops on the total, on `has_more`, or on a short page.
public struct OffsetPaginator: Paginator {
    let limit: Int
    let offsetParam: String
    let limitParam: String
    let totalPath: JSONPath?
    let hasMorePath: JSONPath?
    var offset = 0
    var more = true
    /// The total the last page announced, when the API gives one.
    var total: Int?

    public init(limit: Int, offsetParam: String, limitParam: String, totalPath: String?, hasMorePath: String?) {
        self.limit = limit
        self.offsetParam = offsetParam
        self.limitParam = limitParam
        self.totalPath = totalPath.map(JSONPath.init)
        self.hasMorePath = hasMorePath.map(JSONPath.init)
    }

    public func initial(_ request: PageRequest) -> PageRequest {
        request.setting(limitParam, String(limit)).setting(offsetParam, String(offset))
    }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        offset += records
        total = totalPath.flatMap { path in document.flatMap { path.evaluate($0) }?.scalarText.flatMap { Int($0) } }
        if let total {
            more = offset < total && records > 0
        } else if let hasMorePath, let flag = document.flatMap({ hasMorePath.evaluate($0) }), flag.kind == .bool {
            more = flag.bool && records > 0
        } else {
            more = records >= limit
        }
    }

    public var hasNext: Bool { more }
    public func next(_ request: PageRequest) -> PageRequest { request.setting(offsetParam, String(offset)) }
    public var position: String? { String(offset) }
    /// With a known total, the following pages are known too (assuming full pages; if one is
    /// short, the walk asks for the offset it really needs and the guesses are dropped).
    public func lookahead(_ request: PageRequest, count: Int) -> [PageRequest] {
        guard more else { return [] }
        guard let total else { return [next(request)] }
        return stride(from: offset, to: total, by: max(1, limit)).prefix(max(1, count)).map { request.setting(offsetParam, String($0)) }
    }

    public var saved: [String: String] { ["offset": String(offset)] }
    public mutating func restore(_ saved: [String: String]) { offset = saved["offset"].flatMap { Int($0) } ?? offset }
}

/// `page=1,2,3…`; stops on the total page count or an empty page.
public struct PageNumberPaginator: Paginator {
    let param: String
    let totalPath: JSONPath?
    var page: Int
    var more = true

    public init(pageParam: String, basePage: Int, totalPagesPath: String?) {
        param = pageParam
        page = basePage
        totalPath = totalPagesPath.map(JSONPath.init)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request.setting(param, String(page)) }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        page += 1
        if let totalPath, let total = document.flatMap({ totalPath.evaluate($0) })?.scalarText.flatMap({ Int($0) }) {
            more = page <= total && records > 0
        } else {
            more = records > 0
        }
    }

    public var hasNext: Bool { more }
    public func next(_ request: PageRequest) -> PageRequest { request.setting(param, String(page)) }
    public var position: String? { String(page) }
    public var saved: [String: String] { ["page": String(page)] }
    public mutating func restore(_ saved: [String: String]) { page = saved["page"].flatMap { Int($0) } ?? page }
}

/// A token in the body (`pagination.nextPageSkip`, `next_cursor`) sent back as a parameter;
/// stops when it is absent or `has_more` is false.
public struct CursorPaginator: Paginator {
    let cursorPath: JSONPath
    let param: String
    let hasMorePath: JSONPath?
    var cursor: String?

    public init(cursorPath: String, cursorParam: String, hasMorePath: String?) {
        self.cursorPath = JSONPath(cursorPath)
        param = cursorParam
        self.hasMorePath = hasMorePath.map(JSONPath.init)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        cursor = document.flatMap { cursorPath.evaluate($0) }?.scalarText
        if cursor?.isEmpty == true { cursor = nil }
        if let hasMorePath, let flag = document.flatMap({ hasMorePath.evaluate($0) }), flag.kind == .bool, !flag.bool {
            cursor = nil
        }
    }

    public var hasNext: Bool { cursor != nil }
    public func next(_ request: PageRequest) -> PageRequest { cursor.map { request.setting(param, $0) } ?? request }
    public var position: String? { cursor }
}

/// Decides from the first response: a `Link` header, a next-link field, a cursor field, or
/// a single page.
public struct AutoPaginator: Paginator {
    var detected: (any Paginator)?
    public init() {}

    static let linkPaths = ["nextLink", "next", "next_url", "next_page_url", "links.next", "_links.next.href", "paging.next"]
    static let cursorPaths = [("next_cursor", "cursor"), ("nextCursor", "cursor"), ("pagination.next_cursor", "cursor"),
                              ("meta.next_cursor", "cursor"), ("nextPageToken", "pageToken")]

    public func initial(_ request: PageRequest) -> PageRequest { request }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        if detected == nil { detected = Self.detect(response: response, document: document) }
        detected?.update(response: response, document: document, records: records)
    }

    static func detect(response: HTTPResponse, document: JSONValue?) -> any Paginator {
        if let link = response.header("Link"), HeaderLinkPaginator.link(rel: "next", in: link) != nil { return HeaderLinkPaginator() }
        if let doc = document, doc.kind == .object {
            for path in linkPaths {
                if let v = JSONPath(path).evaluate(doc), v.kind == .string, URLText.isAbsolute(v.string) || v.string.hasPrefix("/") {
                    return JSONLinkPaginator(nextURLPath: path)
                }
            }
            for (path, param) in cursorPaths where JSONPath(path).evaluate(doc)?.kind == .string {
                return CursorPaginator(cursorPath: path, cursorParam: param, hasMorePath: nil)
            }
        }
        return SinglePagePaginator()
    }

    public var hasNext: Bool { detected?.hasNext ?? false }
    public func next(_ request: PageRequest) -> PageRequest { detected?.next(request) ?? request }
    public var position: String? { detected?.position }

    public var saved: [String: String] {
        switch detected {
        case let p as JSONLinkPaginator: return ["kind": "json_link", "path": p.path.description]
        case is HeaderLinkPaginator: return ["kind": "header_link"]
        case let p as CursorPaginator: return ["kind": "cursor", "path": p.cursorPath.description, "param": p.param]
        default: return ["kind": "single_page"]
        }
    }

    public mutating func restore(_ saved: [String: String]) {
        switch saved["kind"] {
        case "json_link": detected = JSONLinkPaginator(nextURLPath: saved["path"] ?? "")
        case "header_link": detected = HeaderLinkPaginator()
        case "cursor": detected = CursorPaginator(cursorPath: saved["path"] ?? "", cursorParam: saved["param"] ?? "cursor", hasMorePath: nil)
        default: detected = SinglePagePaginator()
        }
    }
}

extension PaginatorSpec {
    public func make() -> any Paginator {
        switch self {
        case .singlePage: return SinglePagePaginator()
        case .jsonLink(let path): return JSONLinkPaginator(nextURLPath: path)
        case .headerLink(let rel): return HeaderLinkPaginator(rel: rel)
        case .offset(let limit, let offsetParam, let limitParam, let totalPath, let hasMorePath):
            return OffsetPaginator(limit: limit, offsetParam: offsetParam, limitParam: limitParam, totalPath: totalPath, hasMorePath: hasMorePath)
        case .pageNumber(let param, let base, let total): return PageNumberPaginator(pageParam: param, basePage: base, totalPagesPath: total)
        case .cursor(let path, let param, let hasMore): return CursorPaginator(cursorPath: path, cursorParam: param, hasMorePath: hasMore)
        case .auto: return AutoPaginator()
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
