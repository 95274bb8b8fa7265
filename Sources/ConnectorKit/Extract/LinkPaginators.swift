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
        (nextURL, deadEnd) = stop.follow(
            link, wanted: wanted, records: records, response: response, document: document,
            signals: [.flags, .endFlags, .links, .linkHeader], ignoring: path.description)
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
        (nextURL, deadEnd) = stop.follow(
            link, wanted: "Link header with rel=\"\(rel)\"", records: records, response: response,
            document: document, signals: [.flags, .endFlags, .links])
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
