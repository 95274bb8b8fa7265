/// The declared ways a page says the walk is over (`has_more_path`, `stop_after_empty_page`),
/// and the rule every paginator keeps: a page that says more pages follow must also say
/// where, or the walk fails — it never ends short and calls that success.
struct StopConditions: Sendable {
    let hasMorePath: JSONPath?
    /// The flag is written `!end_of_stream`: a boolean that says the last page is reached.
    let negated: Bool
    /// true: an empty page ends the walk; false: it is followed; nil: an empty page that
    /// still offers a way on is an error (it would loop or skip).
    let stopAfterEmptyPage: Bool?

    init(hasMorePath: String?, stopAfterEmptyPage: Bool?) {
        let negated = hasMorePath?.hasPrefix("!") == true
        self.negated = negated
        self.hasMorePath = hasMorePath.map { JSONPath(negated ? String($0.dropFirst()) : $0) }
        self.stopAfterEmptyPage = stopAfterEmptyPage
    }

    /// Whether the page says more pages follow, read from the declared flag when the page holds it as a boolean.
    func flag(_ document: JSONValue?) -> Bool? {
        guard let hasMorePath, let value = document.flatMap({ hasMorePath.evaluate($0) }) else { return nil }
        return value.kind == .bool ? value.bool != negated : nil
    }

    /// "'meta.has_more' is true" (or "'end_of_stream' is false"), for messages.
    var flagText: String { "'\(hasMorePath?.description ?? "has_more_path")' is \(negated ? "false" : "true")" }

    /// For a paginator whose way on is a token in the page (a link, a cursor): the token to
    /// follow, or why the walk cannot go on although the page says it should. `wanted` names
    /// what was looked for ("cursor at 'next_cursor'"); `signals` are the undeclared signs of
    /// more pages worth checking when the token is missing.
    func follow(
        _ token: String?, wanted: String, records: Int, response: HTTPResponse, document: JSONValue?,
        signals: MoreSignals.Kinds, ignoring ownPath: String? = nil
    ) -> (token: String?, deadEnd: String?) {
        if records == 0 && stopAfterEmptyPage == true { return (nil, nil) }
        let flag = flag(document)
        if flag == false { return (nil, nil) }
        if let token {
            guard records == 0, stopAfterEmptyPage == nil else { return (token, nil) }
            return (
                nil,
                "an empty page claims more pages follow (it holds a \(wanted)); stopping instead of looping. "
                    + "If the API ends its pages this way, declare has_more_path or stop_after_empty_page: true"
            )
        }
        if flag == true { return (nil, "the page says more pages follow (\(flagText)) but holds no \(wanted)") }
        if let sign = MoreSignals.first(in: response, document: document, kinds: signals, ignoring: ownPath) {
            return (nil, "the page says more pages follow (\(sign)) but holds no \(wanted)")
        }
        return (nil, nil)
    }
}

/// Signs in a response that more pages follow which a paginator was not declared to read:
/// a well-known has-more flag, next link, `Link` header or cursor. A walk that stops while
/// one is present would load short, so it fails instead and names what it saw.
enum MoreSignals {
    struct Kinds: OptionSet, Sendable {
        let rawValue: Int
        static let flags = Kinds(rawValue: 1)
        static let links = Kinds(rawValue: 2)
        static let linkHeader = Kinds(rawValue: 4)
        static let cursors = Kinds(rawValue: 8)
        /// Flags whose `false` says more follow (`done`, `isLast`): read only on a paginated walk,
        /// since a single record may well carry a `done: false` of its own.
        static let endFlags = Kinds(rawValue: 16)
        static let all: Kinds = [.flags, .links, .linkHeader, .cursors]
        static let paged: Kinds = [.flags, .endFlags, .links, .linkHeader, .cursors]
    }

    /// Where pagination flags sit: at the root or in a pagination object.
    private static let flagParents = ["", "pagination.", "meta.", "paging.", "page_info.", "pageInfo."]
    static let flagPaths = flagParents.flatMap { p in
        ["has_more", "hasMore", "has_next", "hasNext", "has_next_page", "hasNextPage"].map { p + $0 }
    }
    static let endFlagPaths = flagParents.flatMap { p in
        ["done", "isLast", "is_last", "last", "end_of_stream", "endOfStream"].map { p + $0 }
    }
    static let linkPaths = [
        "nextLink", "next", "next_url", "next_page_url", "links.next", "_links.next.href",
        "paging.next", "paging.next.link",
    ]
    static let cursorPaths = [
        ("next_cursor", "cursor"), ("nextCursor", "cursor"), ("pagination.next_cursor", "cursor"),
        ("meta.next_cursor", "cursor"), ("nextPageToken", "pageToken"),
    ]
    /// The paths above, parsed once: every page of a single-page or counting walk checks them.
    private static let parsedFlags = flagPaths.map(JSONPath.init)
    private static let parsedEndFlags = endFlagPaths.map(JSONPath.init)
    private static let parsedLinks = linkPaths.map(JSONPath.init)
    private static let parsedCursors = cursorPaths.map { JSONPath($0.0) }

    /// The first sign of more pages, described for an error ("'has_more' is true"); nil when none.
    static func first(
        in response: HTTPResponse, document: JSONValue?, kinds: Kinds,
        ignoring ownPath: String? = nil
    ) -> String? {
        if kinds.contains(.linkHeader), let header = response.header("Link"),
            HeaderLinkPaginator.link(rel: "next", in: header) != nil
        {
            return "a Link header with rel=\"next\""
        }
        guard let document, document.kind == .object, mayHoldSign(document) else { return nil }
        if kinds.contains(.flags) {
            for path in parsedFlags where path.text != ownPath {
                if let v = path.evaluate(document), v.kind == .bool, v.bool { return "'\(path)' is true" }
            }
        }
        if kinds.contains(.endFlags) {
            for path in parsedEndFlags where "!" + path.text != ownPath {
                if let v = path.evaluate(document), v.kind == .bool, !v.bool { return "'\(path)' is false" }
            }
        }
        if kinds.contains(.links), let path = linkPath(in: document, ignoring: ownPath) {
            return "a next link at '\(path)'"
        }
        if kinds.contains(.cursors) {
            for path in parsedCursors where path.text != ownPath {
                if let v = path.evaluate(document), v.kind == .string, !v.string.isEmpty {
                    return "a cursor at '\(path)'"
                }
            }
        }
        return nil
    }

    /// The first keys of every path above, by length in bytes: a document none of whose keys is
    /// one of them holds no sign, and most pages of a single-page walk (one record each, with
    /// tens of keys) are told so in one pass over their keys instead of ~85 path lookups.
    private static let firstKeysByLength: [[[UInt8]]] = {
        let keys = Set(
            (parsedFlags + parsedEndFlags + parsedLinks + parsedCursors).compactMap { path -> String? in
                if case .key(let key) = path.steps.first { return key }
                return nil
            })
        var byLength = [[[UInt8]]](repeating: [], count: (keys.map(\.utf8.count).max() ?? 0) + 1)
        for key in keys { byLength[key.utf8.count].append(Array(key.utf8)) }
        return byLength
    }()

    /// False when no key of `document` (an object) starts a path above.
    private static func mayHoldSign(_ document: JSONValue) -> Bool {
        document.members.contains { member in
            let key = member.key
            guard key.count < firstKeysByLength.count else { return false }
            return firstKeysByLength[key.count].contains { candidate in key.elementsEqual(candidate) }
        }
    }

    /// The first well-known path holding a next-page URL (absolute or starting with `/`).
    static func linkPath(in document: JSONValue, ignoring ownPath: String? = nil) -> String? {
        parsedLinks.first { path in
            guard path.text != ownPath, let v = path.evaluate(document), v.kind == .string else { return false }
            return URLText.isAbsolute(v.string) || v.string.hasPrefix("/")
        }?.text
    }
}
