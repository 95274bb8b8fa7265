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
        if let link = response.header("Link"), HeaderLinkPaginator.link(rel: "next", in: link) != nil {
            return HeaderLinkPaginator()
        }
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
        case "cursor":
            detected = CursorPaginator(
                cursorPath: saved["path"] ?? "", cursorParam: saved["param"] ?? "cursor", hasMorePath: nil)
        default: detected = SinglePagePaginator()
        }
    }
}
