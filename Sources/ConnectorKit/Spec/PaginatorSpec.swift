/// How to walk pages. Every paginated kind also takes the declared stop conditions, which
/// win over a link or cursor a last page still carries: `hasMorePath` (a boolean in the body)
/// and `stopAfterEmptyPage` (true: an empty page ends the walk; false: it is followed; nil: an
/// empty page that still offers a way on is an error).
public enum PaginatorSpec: Sendable {
    case singlePage
    /// `nextURLPath` nil: not declared, `next` is read (and a link elsewhere is an error).
    case jsonLink(nextURLPath: String?, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil)
    case headerLink(rel: String, hasMorePath: String? = nil, stopAfterEmptyPage: Bool? = nil)
    case offset(
        limit: Int, offsetParam: String, limitParam: String, totalPath: String?, hasMorePath: String?,
        stopAfterEmptyPage: Bool? = nil)
    case pageNumber(
        pageParam: String, basePage: Int, totalPagesPath: String?, hasMorePath: String? = nil,
        stopAfterEmptyPage: Bool? = nil)
    case cursor(cursorPath: String, cursorParam: String, hasMorePath: String?, stopAfterEmptyPage: Bool? = nil)
    /// Detect from the first response.
    case auto

    public enum Kind: String, Sendable, CaseIterable {
        case single_page, json_link, header_link, offset, page_number, cursor, auto
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
        case .offset: return ["limit", "offset_param", "limit_param", "total_path"] + stopKeys
        case .page_number: return ["page_param", "base_page", "total_path"] + stopKeys
        case .cursor: return ["cursor_path", "cursor_param"] + stopKeys
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
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .page_number:
            return .pageNumber(
                pageParam: try r.string("page_param")?.value ?? "page",
                basePage: try r.int("base_page", range: 0...1) ?? 1,
                totalPagesPath: try r.string("total_path")?.value,
                hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .cursor:
            return .cursor(
                cursorPath: try r.string("cursor_path")?.value ?? "cursors.next",
                cursorParam: try r.string("cursor_param")?.value ?? "cursor",
                hasMorePath: try r.string("has_more_path")?.value,
                stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        }
    }
}
