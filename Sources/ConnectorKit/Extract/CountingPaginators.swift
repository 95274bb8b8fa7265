/// `limit` + `offset` (or `skip`); stops on the total, on `has_more`, or on a short page. An
/// empty page while the total or `has_more` says more follow fails: the offset cannot move.
public struct OffsetPaginator: Paginator {
    let limit: Int
    let offsetSlot: PageSlot
    let limitSlot: PageSlot
    let totalPath: JSONPath?
    let stop: StopConditions
    var offset = 0
    var more = true
    /// The total the last page announced, when the API gives one.
    var total: Int?
    public private(set) var deadEnd: String?

    public init(
        limit: Int, offsetParam: String, limitParam: String, totalPath: String?, hasMorePath: String?,
        stopAfterEmptyPage: Bool? = nil
    ) {
        self.init(
            limit: limit, offsetSlot: .param(offsetParam), limitSlot: .param(limitParam), totalPath: totalPath,
            hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    init(
        limit: Int, offsetSlot: PageSlot, limitSlot: PageSlot, totalPath: String?, hasMorePath: String?,
        stopAfterEmptyPage: Bool?
    ) {
        self.limit = limit
        self.offsetSlot = offsetSlot
        self.limitSlot = limitSlot
        self.totalPath = totalPath.map(JSONPath.init)
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest {
        next(limitSlot.set(String(limit), numeric: true, in: request))
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
                deadEnd =
                    "the total at '\(totalPath)' (\(total)) says records follow offset \(at), but the page there was empty"
            }
        } else if let flag = stop.flag(document) {
            more = flag
            if flag && records == 0 {
                deadEnd = "\(stop.flagText), but the page at offset \(at) was empty, so the offset cannot move on"
            }
        } else {
            more = records >= limit
            if !more, let sign = MoreSignals.first(in: response, document: document, kinds: [.flags, .endFlags]) {
                deadEnd =
                    "the page at offset \(at) held \(records) record(s), fewer than the limit \(limit), "
                    + "which ends an offset walk, but it says more follow (\(sign)); the API may serve fewer per page: "
                    + "lower limit, or declare total_path or has_more_path"
            }
        }
        if deadEnd != nil { more = false }
    }

    public var hasNext: Bool { more }
    public func next(_ request: PageRequest) -> PageRequest { at(offset, request) }
    private func at(_ offset: Int, _ request: PageRequest) -> PageRequest {
        offsetSlot.set(String(offset), numeric: true, in: request)
    }
    public var position: String? { String(offset) }
    /// With a known total, the following pages are known too (assuming full pages; if one is
    /// short, the walk asks for the offset it really needs and the guesses are dropped).
    public func lookahead(_ request: PageRequest, count: Int) -> [PageRequest] {
        guard more else { return [] }
        guard let total else { return [next(request)] }
        return stride(from: offset, to: total, by: max(1, limit)).prefix(max(1, count)).map { at($0, request) }
    }

    public var saved: [String: String] { ["offset": String(offset)] }
    public mutating func restore(_ saved: [String: String]) { offset = saved["offset"].flatMap { Int($0) } ?? offset }
}

/// `page=1,2,3…`; stops on the total page count, `has_more`, or an empty page. An empty page
/// while the page count or `has_more` says more follow fails.
public struct PageNumberPaginator: Paginator {
    let slot: PageSlot
    let basePage: Int
    let totalPath: JSONPath?
    let stop: StopConditions
    var page: Int
    var more = true
    public private(set) var deadEnd: String?

    public init(
        pageParam: String, basePage: Int, totalPagesPath: String?, hasMorePath: String? = nil,
        stopAfterEmptyPage: Bool? = nil
    ) {
        self.init(
            page: .param(pageParam), basePage: basePage, totalPagesPath: totalPagesPath, hasMorePath: hasMorePath,
            stopAfterEmptyPage: stopAfterEmptyPage)
    }

    init(page slot: PageSlot, basePage: Int, totalPagesPath: String?, hasMorePath: String?, stopAfterEmptyPage: Bool?) {
        self.slot = slot
        page = basePage
        self.basePage = basePage
        totalPath = totalPagesPath.map(JSONPath.init)
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { next(request) }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        let at = page
        page += 1
        deadEnd = nil
        if records == 0 && stop.stopAfterEmptyPage == true {
            more = false
        } else if let totalPath,
            let total = document.flatMap({ totalPath.evaluate($0) })?.scalarText.flatMap({ Int($0) })
        {
            more = page < basePage + total
            if more && records == 0 {
                deadEnd = "the page count at '\(totalPath)' (\(total)) says pages follow page \(at), but it was empty"
            }
        } else if let flag = stop.flag(document) {
            more = flag
            if flag && records == 0 { deadEnd = "\(stop.flagText), but page \(at) was empty" }
        } else {
            more = records > 0
            if !more, let sign = MoreSignals.first(in: response, document: document, kinds: [.flags, .endFlags]) {
                deadEnd =
                    "page \(at) was empty, which ends a page-number walk, but it says more follow (\(sign)); "
                    + "declare total_path or has_more_path"
            }
        }
        if deadEnd != nil { more = false }
    }

    public var hasNext: Bool { more }
    public func next(_ request: PageRequest) -> PageRequest { slot.set(String(page), numeric: true, in: request) }
    public var position: String? { String(page) }
    public var saved: [String: String] { ["page": String(page)] }
    public mutating func restore(_ saved: [String: String]) { page = saved["page"].flatMap { Int($0) } ?? page }
}
