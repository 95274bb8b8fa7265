/// A token in the body (`pagination.nextPageSkip`, `next_cursor`) — or, with `fromLastRecord`,
/// a field of the page's last record (`starting_after=<last id>`) — sent back as a
/// parameter or into the JSON body; stops when it is absent or `has_more` is false, fails when
/// `has_more` is true without one.
public struct CursorPaginator: Paginator {
    let cursorPath: JSONPath
    let param: String
    let slot: PageSlot
    let fromLastRecord: Bool
    let stop: StopConditions
    var cursor: String?
    /// Whether the token was a JSON number (written into a body as one).
    var numeric = false
    public private(set) var deadEnd: String?

    public init(
        cursorPath: String, cursorParam: String, hasMorePath: String?, stopAfterEmptyPage: Bool? = nil,
        cursorBodyPath: String? = nil, fromLastRecord: Bool = false
    ) {
        self.cursorPath = JSONPath(cursorPath)
        param = cursorParam
        slot = PageSlot(param: cursorParam, bodyPath: cursorBodyPath)
        self.fromLastRecord = fromLastRecord
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        update(response: response, document: document, records: records, lastRecord: nil)
    }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int, lastRecord: JSONValue?) {
        let value = (fromLastRecord ? lastRecord : document).flatMap { cursorPath.evaluate($0) }
        var token = value?.scalarText
        if token?.isEmpty == true { token = nil }
        numeric = value.map { $0.kind != .string } ?? false
        let wanted =
            fromLastRecord
            ? "cursor at '\(cursorPath)' in the last record" + (records == 0 ? " (the page held no records)" : "")
            : "cursor at '\(cursorPath)'"
        (cursor, deadEnd) = stop.follow(
            token, wanted: wanted, records: records, response: response,
            document: document, signals: [.flags, .endFlags, .links, .linkHeader],
            ignoring: fromLastRecord ? nil : cursorPath.description)
        // From the last record, only `has_more` false or an empty page ends a walk: a page of
        // records whose last one has no cursor cannot say where the next page starts.
        if fromLastRecord, token == nil, records > 0, deadEnd == nil, stop.flag(document) != false {
            deadEnd =
                "the page holds \(records) record(s) but no \(wanted), so the page after it cannot be asked for; "
                + "if the API ends its pages with a flag, declare has_more_path"
        }
    }

    public var hasNext: Bool { cursor != nil }
    public func next(_ request: PageRequest) -> PageRequest {
        cursor.map { slot.set($0, numeric: numeric, in: request) } ?? request
    }
    public var position: String? { cursor }
}

/// A token in a response header (`cursor_key`, e.g. `X-Next-Cursor`) sent back as a parameter
/// or into the JSON body; stops when the header is absent or `has_more` is false, fails when
/// the page says more follow without it.
public struct HeaderCursorPaginator: Paginator {
    let header: String
    let slot: PageSlot
    let stop: StopConditions
    var cursor: String?
    public private(set) var deadEnd: String?

    public init(
        header: String, cursorParam: String, cursorBodyPath: String? = nil, hasMorePath: String? = nil,
        stopAfterEmptyPage: Bool? = nil
    ) {
        self.header = header
        slot = PageSlot(param: cursorParam, bodyPath: cursorBodyPath)
        stop = StopConditions(hasMorePath: hasMorePath, stopAfterEmptyPage: stopAfterEmptyPage)
    }

    public func initial(_ request: PageRequest) -> PageRequest { request }

    public mutating func update(response: HTTPResponse, document: JSONValue?, records: Int) {
        var token = response.header(header)?.trimmingSpaces
        if token?.isEmpty == true { token = nil }
        (cursor, deadEnd) = stop.follow(
            token, wanted: "cursor in the '\(header)' header", records: records, response: response,
            document: document, signals: .paged)
    }

    public var hasNext: Bool { cursor != nil }
    public func next(_ request: PageRequest) -> PageRequest {
        cursor.map { slot.set($0, numeric: false, in: request) } ?? request
    }
    public var position: String? { cursor }
}
