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
    /// Reads a response with the last record selected from it, for a paginator whose way on is
    /// in a record (`starting_after=<last id>`); the others read the response alone.
    mutating func update(response: HTTPResponse, document: JSONValue?, records: Int, lastRecord: JSONValue?)
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
    /// How many records the whole walk holds, when the API announced it (an offset walk's
    /// `total_path`); nil otherwise. Only for progress: an estimate of the time left.
    var announcedRecords: Int? { get }
}

extension Paginator {
    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int, lastRecord: JSONValue?) {
        update(response: response, document: document, records: records)
    }
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

extension PaginatorSpec {
    public func make() -> any Paginator {
        switch self {
        case .singlePage: return SinglePagePaginator()
        case .jsonLink(let path, let hasMore, let stopEmpty):
            return JSONLinkPaginator(nextURLPath: path, hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .headerLink(let rel, let hasMore, let stopEmpty):
            return HeaderLinkPaginator(rel: rel, hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .offset(
            let limit, let offsetParam, let limitParam, let totalPath, let hasMore, let stopEmpty,
            let offsetBody, let limitBody):
            return OffsetPaginator(
                limit: limit, offsetSlot: PageSlot(param: offsetParam, bodyPath: offsetBody),
                limitSlot: PageSlot(param: limitParam, bodyPath: limitBody), totalPath: totalPath,
                hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .pageNumber(let param, let base, let total, let hasMore, let stopEmpty, let pageBody):
            return PageNumberPaginator(
                page: PageSlot(param: param, bodyPath: pageBody), basePage: base, totalPagesPath: total,
                hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty)
        case .cursor(let path, let param, let hasMore, let stopEmpty, let cursorBody, let from):
            return CursorPaginator(
                cursorPath: path, cursorParam: param, hasMorePath: hasMore, stopAfterEmptyPage: stopEmpty,
                cursorBodyPath: cursorBody, fromLastRecord: from == .last_record)
        case .headerCursor(let header, let param, let cursorBody, let hasMore, let stopEmpty):
            return HeaderCursorPaginator(
                header: header, cursorParam: param, cursorBodyPath: cursorBody, hasMorePath: hasMore,
                stopAfterEmptyPage: stopEmpty)
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
