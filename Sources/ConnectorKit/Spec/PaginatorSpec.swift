/// How to walk pages. Every paginated kind also takes the declared stop conditions, which
/// win over a link or cursor a last page still carries: `hasMorePath` (a boolean in the body)
/// and `stopAfterEmptyPage` (true: an empty page ends the walk; false: it is followed; nil: an
/// empty page that still offers a way on is an error).
public enum PaginatorSpec: Sendable {
    case singlePage
    /// `nextURLPath` nil: not declared, `next` is read (and a link elsewhere is an error).
    case jsonLink(nextURLPath: String?, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil)
    case headerLink(rel: String, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil)
    /// `offsetBodyPath` / `limitBodyPath`: written into the JSON body there instead of as parameters.
    case offset(
        limit: Int, offsetParam: String, limitParam: String, totalPath: String?, hasMorePath: String?,
        stopAfterEmptyPage: Bool? = nil, offsetBodyPath: String? = nil, limitBodyPath: String? = nil)
    case pageNumber(
        pageParam: String, basePage: Int, totalPagesPath: String?, hasMorePath: String? = nil,
        stopAfterEmptyPage: Bool? = nil, pageBodyPath: String? = nil)
    /// `from`: whether `cursorPath` is read in the response or in its last record (a list API's
    /// `starting_after`); `cursorBodyPath`: the cursor goes into the JSON body there, not into `cursorParam`.
    case cursor(
        cursorPath: String, cursorParam: String, hasMorePath: String?, stopAfterEmptyPage: Bool? = nil,
        cursorBodyPath: String? = nil, from: CursorSource = .response)
    /// A token in a response header (`header`), sent back as `cursorParam` or into the body at `cursorBodyPath`.
    case headerCursor(
        header: String, cursorParam: String, cursorBodyPath: String? = nil, hasMorePath: String? = nil,
        stopAfterEmptyPage: Bool? = nil)
    /// Detect from the first response.
    case auto

    public enum Kind: String, Sendable, CaseIterable {
        case single_page, json_link, header_link, offset, page_number, cursor, header_cursor, auto
    }

    /// Where a `cursor` paginator reads its token: in the response, or in the last record of the page.
    public enum CursorSource: String, Sendable, CaseIterable {
        case response, last_record
    }
}

extension PaginatorSpec {
    /// The key every paginator mapping takes; the others depend on its type (`keys(for:)`).
    static let keys = ["type"]
    /// The stop conditions every paginated kind takes.
    private static let stopKeys = ["has_more_path", "stop_after_empty_page"]

    /// The keys of a paginator of one type, after `type`.
    static func keys(for kind: Kind) -> [String] {
        switch kind {
        case .single_page, .auto: return []
        case .json_link: return ["next_url_path"] + stopKeys
        case .header_link: return ["rel"] + stopKeys
        case .offset:
            return ["limit", "offset_param", "limit_param", "total_path", "offset_body_path", "limit_body_path"]
                + stopKeys
        case .page_number: return ["page_param", "base_page", "total_path", "page_body_path"] + stopKeys
        case .cursor: return ["cursor_path", "cursor_param", "cursor_body_path", "cursor_from"] + stopKeys
        case .header_cursor: return ["cursor_key", "cursor_param", "cursor_body_path"] + stopKeys
        }
    }

    /// Reads a `paginator`: a bare word (`single_page`, `auto`, `header_link`) or a mapping with `type`.
    static func read(_ node: YAMLNode, interpolator: Interpolator) throws(SpecError) -> PaginatorSpec {
        if case .scalar(let s, _, let loc) = node {
            let kind = try MappingReader.choice(ConfigString(s, at: loc), Kind.self, what: "paginator")
            switch kind {
            case .single_page: return .singlePage
            case .auto: return .auto
            case .header_link: return .headerLink(rel: "next")
            default: throw SpecError("paginator '\(s)' needs settings; write it as {type: \(s), …}", at: loc)
            }
        }
        var r = try MappingReader(node, context: "paginator", keys: keys, interpolator: interpolator)
        guard let kind = try r.choice("type", Kind.self) else {
            let choices = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecError("paginator needs 'type' (one of: \(choices))", at: r.location)
        }
        r.accept(keys(for: kind))
        let spec = try read(kind, &r)
        try r.finish()
        return spec
    }

    private static func read(_ kind: Kind, _ r: inout MappingReader) throws(SpecError) -> PaginatorSpec {
        switch kind {
        case .single_page: return .singlePage
        case .auto: return .auto
        case .json_link:
            return .jsonLink(
                nextURLPath: try r.string("next_url_path")?.value,
                hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .header_link:
            return .headerLink(
                rel: try r.string("rel")?.value ?? "next", hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .offset:
            let limit = try r.int("limit", range: 1...1_000_000) ?? 100
            let offsetParam = try r.string("offset_param")?.value ?? "offset"
            let limitParam = try r.string("limit_param")?.value ?? "limit"
            return .offset(
                limit: limit, offsetParam: offsetParam, limitParam: limitParam,
                totalPath: try r.string("total_path")?.value, hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"),
                offsetBodyPath: try bodyPath(&r, "offset_body_path", instead: "offset_param"),
                limitBodyPath: try bodyPath(&r, "limit_body_path", instead: "limit_param"))
        case .page_number:
            return .pageNumber(
                pageParam: try r.string("page_param")?.value ?? "page",
                basePage: try r.int("base_page", range: 0...1) ?? 1,
                totalPagesPath: try r.string("total_path")?.value,
                hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"),
                pageBodyPath: try bodyPath(&r, "page_body_path", instead: "page_param"))
        case .cursor:
            let from = try r.choice("cursor_from", CursorSource.self) ?? .response
            return .cursor(
                cursorPath: try r.string("cursor_path")?.value ?? (from == .last_record ? "id" : "cursors.next"),
                cursorParam: try r.string("cursor_param")?.value ?? "cursor",
                hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"),
                cursorBodyPath: try bodyPath(&r, "cursor_body_path", instead: "cursor_param"), from: from)
        case .header_cursor:
            return .headerCursor(
                header: try r.string("cursor_key")?.value ?? "next",
                cursorParam: try r.string("cursor_param")?.value ?? "cursor",
                cursorBodyPath: try bodyPath(&r, "cursor_body_path", instead: "cursor_param"),
                hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        }
    }

    /// A `*_body_path` (where a value goes in the JSON body), refused next to the parameter it replaces.
    private static func bodyPath(_ r: inout MappingReader, _ key: String, instead param: String)
        throws(SpecError) -> String?
    {
        guard let path = try r.string(key) else { return nil }
        if r.entries.contains(where: { $0.key == param }) {
            throw SpecError(
                "paginator has both '\(param)' and '\(key)'; the value goes either into a query parameter "
                    + "or into the JSON body: keep one", at: path.location)
        }
        guard path.value.contains(where: { $0 != "$" && $0 != "." }) else {
            throw SpecError("'\(key)' must name a field of the JSON body (e.g. after, paging.after)", at: path.location)
        }
        return path.value
    }

    /// Whether the paginator writes a value into the request's JSON body.
    public var writesBody: Bool {
        switch self {
        case .offset(_, _, _, _, _, _, let offsetBody, let limitBody): return offsetBody != nil || limitBody != nil
        case .pageNumber(_, _, _, _, _, let pageBody): return pageBody != nil
        case .cursor(_, _, _, _, let cursorBody, _), .headerCursor(_, _, let cursorBody, _, _): return cursorBody != nil
        default: return false
        }
    }
}
