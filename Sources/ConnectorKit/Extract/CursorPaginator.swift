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
        (cursor, deadEnd) = stop.follow(
            token, wanted: "cursor at '\(cursorPath)'", records: records, response: response,
            document: document, signals: [.flags, .links, .linkHeader],
            ignoring: cursorPath.description)
    }

    public var hasNext: Bool { cursor != nil }
    public func next(_ request: PageRequest) -> PageRequest { cursor.map { request.setting(param, $0) } ?? request }
    public var position: String? { cursor }
}
