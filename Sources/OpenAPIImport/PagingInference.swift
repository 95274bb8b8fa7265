import OpenAPIKit

/// The paginator of a list endpoint, from its query parameters and the fields of its response.
struct PagingInference {
    static let sizeNames = ["limit", "per_page", "perpage", "page_size", "pagesize", "size", "max_results", "maxresults",
        "top", "$top", "count"]
    static let offsetNames = ["skip", "offset", "start"]
    static let pageNames = ["page", "page_number", "pagenumber"]
    static let cursorNames = ["cursor", "after", "starting_after", "page_token", "pagetoken", "next_token",
        "nexttoken", "continuation", "continuation_token", "continuationtoken"]
    static let totalNames = ["matched", "total", "total_count", "totalcount", "total_results", "totalresults"]
    static let pageTotalNames = ["total_pages", "totalpages", "page_count", "pagecount"]
    static let nextLinkNames = ["nextlink", "next", "next_url", "nexturl", "next_page_url", "nextpageurl", "next_link"]
    static let hasMoreNames = ["hasmore", "has_more", "more"]
    static let nextCursorNames = ["next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "cursor", "after"]

    let query: [(name: String, schema: JSONSchema?)]
    let envelope: [String: JSONSchema]

    struct Result {
        var paginator: Guess<String>
        var params: [(name: String, value: Guess<String>)] = []
        var notes: [String] = []
    }

    func param(_ names: [String]) -> (name: String, schema: JSONSchema?)? {
        query.first { names.contains($0.name.lowercased()) }
    }

    /// The dotted envelope path whose last part is one of `names` (shortest first).
    func field(_ names: [String]) -> String? {
        envelope.keys.sorted { ($0.count, $0) < ($1.count, $1) }
            .first { names.contains(($0.split(separator: ".").last.map(String.init) ?? $0).lowercased()) }
    }

    /// `maximum:` of a page-size parameter → the size asked for; 100 when the document gives none.
    func pageSize(_ size: (name: String, schema: JSONSchema?)) -> Guess<Int> {
        if case .integer(_, let context)? = size.schema?.value, let max = context.maximum {
            let value = max.exclusive ? max.value - 1 : max.value
            if value > 0 { return Guess(value, .high, "`\(size.name)` has maximum: \(max.value)") }
        }
        return Guess(100, .low, "`\(size.name)` has no maximum: 100 assumed")
    }

    func infer() -> Result {
        let size = param(Self.sizeNames)
        let limit = size.map(pageSize)
        if let offset = param(Self.offsetNames), let size, let limit { return offsetPaging(offset, size, limit) }
        if let page = param(Self.pageNames) { return pagePaging(page, size, limit) }
        if let cursor = param(Self.cursorNames) { return cursorPaging(cursor, size, limit) }
        var result: Result
        if let next = field(Self.nextLinkNames) {
            var keys = "type: json_link, next_url_path: \(next)"
            if let more = field(Self.hasMoreNames) { keys += ", has_more_path: \(more)" }
            result = Result(paginator: Guess("{\(keys)}", .high, "the response has a next link `\(next)`"))
        } else if size != nil {
            result = Result(
                paginator: Guess("single_page", .low, "a page-size parameter but no offset, page, cursor or next link"))
            result.notes.append("a page-size parameter but no way to the next page: check how this endpoint pages")
        } else {
            result = Result(paginator: Guess("single_page", .medium, "no paging parameters or next link"))
        }
        if let size, let limit { result.params.append((size.name, limit.map(String.init))) }
        return result
    }

    private func offsetPaging(
        _ offset: (name: String, schema: JSONSchema?), _ size: (name: String, schema: JSONSchema?), _ limit: Guess<Int>
    ) -> Result {
        var keys = "type: offset, limit: \(limit.value)"
        if offset.name != "offset" { keys += ", offset_param: \(offset.name)" }
        if size.name != "limit" { keys += ", limit_param: \(size.name)" }
        var why = "`\(offset.name)`/`\(size.name)` parameters; \(limit.reason)"
        if let total = field(Self.totalNames) {
            keys += ", total_path: \(total)"; why += "; total in `\(total)`"
        } else if let more = field(Self.hasMoreNames) {
            keys += ", has_more_path: \(more)"; why += "; `\(more)` flag"
        }
        var result = Result(paginator: Guess("{\(keys)}", min(limit.confidence, .high) == .low ? .medium : .high, why))
        if case .integer(_, let context)? = offset.schema?.value, let max = context.maximum {
            result.notes.append(
                "`\(offset.name)` stops at \(max.value): more records than that need partitions "
                    + "(e.g. time windows on a date filter) — a hand edit")
        }
        return result
    }

    private func pagePaging(
        _ page: (name: String, schema: JSONSchema?), _ size: (name: String, schema: JSONSchema?)?, _ limit: Guess<Int>?
    ) -> Result {
        var keys = "type: page_number"
        if page.name != "page" { keys += ", page_param: \(page.name)" }
        var why = "a `\(page.name)` parameter"
        if let total = field(Self.pageTotalNames) { keys += ", total_path: \(total)"; why += "; pages in `\(total)`" }
        var result = Result(paginator: Guess("{\(keys)}", .high, why))
        if let size, let limit { result.params.append((size.name, limit.map(String.init))) }
        return result
    }

    private func cursorPaging(
        _ cursor: (name: String, schema: JSONSchema?), _ size: (name: String, schema: JSONSchema?)?, _ limit: Guess<Int>?
    ) -> Result {
        var keys = "type: cursor"
        let more = field(Self.hasMoreNames)
        var result: Result
        if let next = field(Self.nextCursorNames) {
            keys += ", cursor_path: \(next), cursor_param: \(cursor.name)"
            if let more { keys += ", has_more_path: \(more)" }
            result = Result(paginator: Guess("{\(keys)}", .high, "`\(cursor.name)` parameter, next cursor in `\(next)`"))
        } else if let more {
            keys += ", cursor_from: last_record, cursor_path: id, cursor_param: \(cursor.name), has_more_path: \(more)"
            result = Result(
                paginator: Guess("{\(keys)}", .medium, "`\(cursor.name)` parameter and `\(more)`: the last record's id"))
        } else {
            keys += ", cursor_param: \(cursor.name)"
            result = Result(paginator: Guess("{\(keys)}", .low, "`\(cursor.name)` parameter; no next cursor field found"))
            result.notes.append("`\(cursor.name)` pages by cursor but the response names none: set cursor_path by hand")
        }
        if let size, let limit { result.params.append((size.name, limit.map(String.init))) }
        return result
    }
}

extension Guess {
    func map<T>(_ transform: (Value) -> T) -> Guess<T> { Guess<T>(transform(value), confidence, reason) }
}
