import Foundation
import OpenAPIKit

/// `connector init NAME --openapi FILE`: an OpenAPI document → a commented draft source. Pure: text
/// in, draft and YAML text out; the command writes files and validates.
public enum OpenAPIImporter {
    /// What the command may narrow or override.
    public struct Options: Sendable {
        public var baseURL: String?
        /// Regexes on the operation path (`/calls`); include keeps matches, exclude drops them.
        public var include: String?
        public var exclude: String?
        public init(baseURL: String? = nil, include: String? = nil, exclude: String? = nil) {
            self.baseURL = baseURL
            self.include = include
            self.exclude = exclude
        }
    }

    /// The draft of source `name` from the document `text` (read from `file`, named in messages).
    public static func draft(name: String, text: String, file: String, options: Options = Options())
        throws(OpenAPIImportError) -> SourceDraft
    {
        guard name.first.map({ $0.isLetter || $0 == "_" }) == true,
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { throw OpenAPIImportError(file: file, message: "source name `\(name)`: use letters, digits and _") }
        let include = try regex(options.include, "--include", file)
        let exclude = try regex(options.exclude, "--exclude", file)
        let loaded = try LoadedDocument.load(text, file: file)
        let resolver = SchemaResolver(loaded)
        let prefix = NameStyle.variable(name)
        let auth = AuthInference(document: loaded.document, prefix: prefix).infer()
        var inference = ResourceInference(resolver: resolver, sentByAuth: auth.sentNames, prefix: prefix)
        for view in resolver.operations() {
            if let include, view.path.firstMatch(of: include) == nil { continue }
            if let exclude, view.path.firstMatch(of: exclude) != nil { continue }
            inference.add(view)
        }
        inference.linkParents()
        let info = loaded.document.info
        var draft = SourceDraft(
            name: name, title: "\(info.title) \(info.version), OpenAPI \(loaded.version)",
            baseURL: baseURL(loaded.document, prefix: prefix, override: options.baseURL), auth: auth.auth)
        draft.resources = inference.resources
        draft.candidates = inference.candidates
        draft.variables = [("\(prefix)_BASE_URL", "the API's base URL (default: the document's first server)")]
            + auth.variables + inference.variables
        draft.notes = loaded.notes + resolver.notes + auth.notes + inference.notes
        if !inference.leftOut.isEmpty {
            draft.notes.append("writes left out: " + inference.leftOut.joined(separator: ", "))
        }
        if draft.resources.isEmpty { draft.notes.append("no GET operation to load: the source has no resources") }
        return draft
    }

    /// The draft as commented YAML: a `sources:` document with the one source.
    public static func yaml(_ draft: SourceDraft, origin: String) -> String {
        "sources:\n" + block(draft, origin: origin)
    }

    /// The source block alone (indented two spaces), for adding under an existing `sources:`.
    public static func block(_ draft: SourceDraft, origin: String) -> String {
        DraftYAMLWriter.block(draft, origin: origin)
    }

    private static func regex(_ pattern: String?, _ flag: String, _ file: String) throws(OpenAPIImportError)
        -> Regex<AnyRegexOutput>?
    {
        guard let pattern else { return nil }
        do { return try Regex(pattern) } catch {
            throw OpenAPIImportError(file: file, message: "\(flag) \(pattern) is not a regular expression: \(error)")
        }
    }

    /// The first server's URL with its variables at their defaults, behind `${NAME_BASE_URL:-…}`.
    static func baseURL(_ document: OpenAPI.Document, prefix: String, override: String?) -> Guess<String> {
        let variable = "\(prefix)_BASE_URL"
        if let override { return Guess("${\(variable):-\(override)}", .high, "--base-url") }
        guard let server = document.servers.first else {
            return Guess("${\(variable)}", .low, "the document names no server: set \(variable)")
        }
        var url = server.urlTemplate.absoluteString
        for (name, value) in server.variables { url = url.replacingOccurrences(of: "{\(name)}", with: value.default) }
        while url.hasSuffix("/") { url.removeLast() }
        guard url.contains("://") else {
            return Guess("${\(variable)}", .low, "servers[0] is relative (\(url)): set \(variable)")
        }
        let more = document.servers.count > 1 ? " (of \(document.servers.count))" : ""
        return Guess("${\(variable):-\(url)}", .high, "servers[0]\(more), variables at their defaults")
    }
}
