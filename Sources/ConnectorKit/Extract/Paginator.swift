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
    /// Why the walk cannot go on although the last page says more pages follow (a has-more
    /// flag, a total, a link elsewhere), naming what was looked for; nil when it may stop or
    /// go on. A walk that ends here fails: stopping would load short.
    var deadEnd: String? { get }
}

extension Paginator {
    public var deadEnd: String? { nil }
    public var saved: [String: String] { [:] }
    public mutating func restore(_ saved: [String: String]) {}
    public func lookahead(_ request: PageRequest, count: Int) -> [PageRequest] { hasNext ? [next(request)] : [] }
}

/// One request, no pages. A response that says more pages follow fails the walk.
public struct SinglePagePaginator: Paginator {
    /// The sign of more pages the response carried, if any.
    var moreSign: String?
    public init() {}
    public func initial(_ request: PageRequest) -> PageRequest { request }
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        moreSign = MoreSignals.first(in: response, document: document, kinds: .all)
    }
    public var deadEnd: String? {
        moreSign.map {
            "the resource is read as a single page, but the response says more pages follow (\($0)); declare its paginator"
        }
    }
    public var hasNext: Bool { false }
    public func next(_ request: PageRequest) -> PageRequest { request }
    public var position: String? { nil }
}

/// The next page's URL is in the body (`nextLink`, `next`, `links.next`).
public struct JSONLinkPaginator: Paginator {
    let path: JSONPath
    /// False when `next_url_path` was not declared and `next` is read by default.
    let declared: Bool
    let stop: StopConditions
    var nextURL: String?
    public private(set) var deadEnd: String?

    public init(nextURLPath: String?, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil) {
        path = JSONPath(nextURLPath ?? "next")
        declared = nextURLPath != nil
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request }
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        var link = document.flatMap { path.evaluate($0) }.flatMap { $0.kind == .string ? $0.string : nil }
        if link?.isEmpty == true { link = nil }
        let wanted = "next link at '\(path)'" + (declared ? "" : " (next_url_path is not set, so 'next' was read)")
        (nextURL, deadEnd) = stop.follow(link, wanted: wanted, records: records, response: response, document: document,
                                         signals: [.flags, .links, .linkHeader], ignoring: path.description)
    }
    public var hasNext: Bool { nextURL != nil }
    public func next(_ request: PageRequest) -> PageRequest { nextURL.map(request.following) ?? request }
    public var position: String? { nextURL }
}

/// The next page's URL is in an RFC 8288 `Link` header.
public struct HeaderLinkPaginator: Paginator {
    let rel: String
    let stop: StopConditions
    var nextURL: String?
    public private(set) var deadEnd: String?

    public init(rel: String = "next", hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil) {
        self.rel = rel
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request }
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        let link = response.header("Link").flatMap { Self.link(rel: rel, in: $0) }
        (nextURL, deadEnd) = stop.follow(link, wanted: "Link header with rel=\"\(rel)\"", records: records, response: response,
                                         document: document, signals: [.flags, .links])
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

/// `limit` + `offset` (or `skip`); stops on the total, on `has_more`, or on a short page. An
/// empty page while the total or `has_more` says more follow fails: the offset cannot move.
public struct OffsetPaginator: Paginator {
    let limit: Int
    let offsetParam: String
    let limitParam: String
    let totalPath: JSONPath?
    let stop: StopConditions
    var offset = 0
    var more = true
    /// The total the last page announced, when the API gives one.
    var total: Int?
    public private(set) var deadEnd: String?

    public init(limit: Int, offsetParam: String, limitParam: String, totalPath: String?, hasMorePath: String?,
                stopAfterEmptyPage: Bool? = nil) {
        self.limit = limit
        self.offsetParam = offsetParam
        self.limitParam = limitParam
        self.totalPath = totalPath.map(JSONPath.init)
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest {
        request.setting(limitParam, String(limit)).setting(offsetParam, String(offset))
    }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        let at = offset
        offset += records
        total = totalPath.flatMap { path in document.flatMap { path.evaluate($0) }?.scalarText.flatMap { Int($0) } }
        deadEnd = nil
        if records == 0 && stop.stopAfterEmptyPage == true {
            more = false
        } else if let total, let totalPath {
            more = offset < total
            if more && records == 0 {
                deadEnd = "the total at '\(totalPath)' (\(total)) says records follow offset \(at), but the page there was empty"
            }
        } else if let flag = stop.flag(document) {
            more = flag
            if flag && records == 0 {
                deadEnd = "\(stop.flagText), but the page at offset \(at) was empty, so the offset cannot move on"
            }
        } else {
            more = records >= limit
            if !more, let sign = MoreSignals.first(in: response, document: document, kinds: .flags) {
                deadEnd = "the page at offset \(at) held \(records) record(s), fewer than the limit \(limit), "
                    + "which ends an offset walk, but it says more follow (\(sign)); the API may serve fewer per page: "
                    + "lower limit, or declare total_path or has_more_path"
            }
        }
        if deadEnd != nil { more = false }
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

/// `page=1,2,3…`; stops on the total page count, `has_more`, or an empty page. An empty page
/// while the page count or `has_more` says more follow fails.
public struct PageNumberPaginator: Paginator {
    let param: String
    let basePage: Int
    let totalPath: JSONPath?
    let stop: StopConditions
    var page: Int
    var more = true
    public private(set) var deadEnd: String?

    public init(pageParam: String, basePage: Int, totalPagesPath: String?, hasMorePath: String? = nil,
                stopAfterEmptyPage: Bool? = nil) {
        param = pageParam
        page = basePage
        self.basePage = basePage
        totalPath = totalPagesPath.map(JSONPath.init)
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request.setting(param, String(page)) }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        let at = page
        page += 1
        deadEnd = nil
        if records == 0 && stop.stopAfterEmptyPage == true {
            more = false
        } else if let totalPath, let total = document.flatMap({ totalPath.evaluate($0) })?.scalarText.flatMap({ Int($0) }) {
            more = page < basePage + total
            if more && records == 0 {
                deadEnd = "the page count at '\(totalPath)' (\(total)) says pages follow page \(at), but it was empty"
            }
        } else if let flag = stop.flag(document) {
            more = flag
            if flag && records == 0 { deadEnd = "\(stop.flagText), but page \(at) was empty" }
        } else {
            more = records > 0
            if !more, let sign = MoreSignals.first(in: response, document: document, kinds: .flags) {
                deadEnd = "page \(at) was empty, which ends a page-number walk, but it says more follow (\(sign)); "
                    + "declare total_path or has_more_path"
            }
        }
        if deadEnd != nil { more = false }
    }

    public var hasNext: Bool { more }
    public func next(_ request: PageRequest) -> PageRequest { request.setting(param, String(page)) }
    public var position: String? { String(page) }
    public var saved: [String: String] { ["page": String(page)] }
    public mutating func restore(_ saved: [String: String]) { page = saved["page"].flatMap { Int($0) } ?? page }
}

/// A token in the body (`pagination.nextPageSkip`, `next_cursor`) sent back as a parameter;
/// stops when it is absent or `has_more` is false, fails when `has_more` is true without one.
public struct CursorPaginator: Paginator {
    let cursorPath: JSONPath
    let param: String
    let stop: StopConditions
    var cursor: String?
    public private(set) var deadEnd: String?

    public init(cursorPath: String, cursorParam: String, hasMorePath: String?, stopAfterEmptyPage: Bool? = nil) {
        self.cursorPath = JSONPath(cursorPath)
        param = cursorParam
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        var token = document.flatMap { cursorPath.evaluate($0) }?.scalarText
        if token?.isEmpty == true { token = nil }
        (cursor, deadEnd) = stop.follow(token, wanted: "cursor at '\(cursorPath)'", records: records, response: response,
                                        document: document, signals: [.flags, .links, .linkHeader],
                                        ignoring: cursorPath.description)
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

    public func initial(_ request: PageRequest) -> PageRequest { request }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        if detected == nil { detected = Self.detect(response: response, document: document) }
        detected?.update(response: response, document: document, records: records)
    }

    static func detect(response: HTTPResponse, document: JSONValue?) -> any Paginator {
        if let link = response.header("Link"), HeaderLinkPaginator.link(rel: "next", in: link) != nil { return HeaderLinkPaginator() }
        if let doc = document, doc.kind == .object {
            if let path = MoreSignals.linkPath(in: doc) { return JSONLinkPaginator(nextURLPath: path) }
            for (path, param) in MoreSignals.cursorPaths where JSONPath(path).evaluate(doc)?.kind == .string {
                return CursorPaginator(cursorPath: path, cursorParam: param, hasMorePath: nil)
            }
        }
        return SinglePagePaginator()
    }

    public var hasNext: Bool { detected?.hasNext ?? false }
    public func next(_ request: PageRequest) -> PageRequest { detected?.next(request) ?? request }
    public var position: String? { detected?.position }
    public var deadEnd: String? {
        guard let single = detected as? SinglePagePaginator else { return detected?.deadEnd }
        return single.moreSign.map { sign in
            "no paginator is declared and none was recognized (looked for a Link header with rel=\"next\", next links at "
                + MoreSignals.linkPaths.joined(separator: ", ")
                + ", cursors at " + MoreSignals.cursorPaths.map(\.0).joined(separator: ", ")
                + "), but the response says more pages follow (\(sign)); declare the paginator"
        }
    }

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
        case .jsonLink(let path, let hasMore, let stopEmpty):
            return JSONLinkPaginator(nextURLPath: path, hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .headerLink(let rel, let hasMore, let stopEmpty):
            return HeaderLinkPaginator(rel: rel, hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .offset(let limit, let offsetParam, let limitParam, let totalPath, let hasMore, let stopEmpty):
            return OffsetPaginator(limit: limit, offsetParam: offsetParam, limitParam: limitParam, totalPath: totalPath,
                                   hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .pageNumber(let param, let base, let total, let hasMore, let stopEmpty):
            return PageNumberPaginator(pageParam: param, basePage: base, totalPagesPath: total, hasMorePath: hasMore,
                                       stopAfterEmptyPage: stopEmpty)
        case .cursor(let path, let param, let hasMore, let stopEmpty):
            return CursorPaginator(cursorPath: path, cursorParam: param, hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
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
