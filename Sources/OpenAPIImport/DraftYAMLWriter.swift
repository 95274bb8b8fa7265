import Foundation

/// A `SourceDraft` as commented sources.yaml text: every inferred key with `# confidence: why`.
struct DraftYAMLWriter {
    let draft: SourceDraft
    private var lines: [String] = []

    init(_ draft: SourceDraft) { self.draft = draft }

    /// The source block indented for `sources:` (two spaces), without the `sources:` line.
    static func block(_ draft: SourceDraft, origin: String) -> String {
        var writer = DraftYAMLWriter(draft)
        writer.write(origin: origin)
        return writer.lines.joined(separator: "\n") + "\n"
    }

    private mutating func line(_ indent: Int, _ text: String, _ comment: String? = nil) {
        let body = String(repeating: " ", count: indent) + text
        lines.append(comment.map { body + "   # " + Self.oneLine($0) } ?? body)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private mutating func write(origin: String) {
        line(2, "\(draft.name):")
        line(4, "# Drafted by `connector init --openapi` from \(origin) (\(Self.oneLine(draft.title))).")
        line(4, "# Beside each key: how sure the draft is (high/medium/low) and why. Review the notes at the end.")
        line(4, "client:")
        line(6, "base_url: \(YAMLText.scalar(draft.baseURL.value))", draft.baseURL.comment)
        if let auth = draft.auth { writeAuth(auth) }
        line(4, "resources:")
        for resource in draft.resources { writeResource(resource) }
        writeTrailer()
    }

    private mutating func writeAuth(_ auth: AuthDraft) {
        line(6, "auth:", auth.why.comment)
        line(8, "type: \(auth.type)")
        for (key, value) in auth.fields { line(8, "\(key): \(YAMLText.scalar(value))") }
        if !auth.headers.isEmpty { line(8, "headers: \(YAMLText.flow(auth.headers))") }
        if !auth.query.isEmpty { line(8, "query: \(YAMLText.flow(auth.query))") }
    }

    private mutating func writeResource(_ r: ResourceDraft) {
        line(6, "# \(r.method) /\(r.path)" + (r.summary.isEmpty ? "" : " — \(Self.oneLine(r.summary))"))
        line(6, "- name: \(r.name)")
        line(8, "endpoint:")
        line(10, "path: \(YAMLText.scalar(r.path))")
        let queryVariable = r.unfed.flatMap { $0.inPath ? nil : $0 }
        if let path = r.unfed, path.inPath {
            line(10, "partitions:")
            line(12, "\(YAMLText.scalar(path.param)): {type: list, values: \"${\(path.variable)}\"}")
        }
        if !r.params.isEmpty || r.parent != nil || queryVariable != nil {
            line(10, "params:")
            if let q = queryVariable { line(12, "\(YAMLText.scalar(q.param)): \"${\(q.variable)}\"") }
            for (name, value) in r.params { line(12, "\(YAMLText.scalar(name)): \(value.value)", value.comment) }
            if let p = r.parent {
                let resolve = "{type: resolve, resource: \(p.resource), field: \(YAMLText.scalar(p.field))}"
                line(12, "\(YAMLText.scalar(p.param)): \(resolve)", p.why.comment)
            }
        }
        if let selector = r.dataSelector { line(10, "data_selector: \(YAMLText.selector(selector.value))", selector.comment) }
        line(10, "paginator: \(r.paginator.value)", r.paginator.comment)
        if let inc = r.incremental { line(10, "# incremental candidate (\(inc.comment)): \(inc.value)") }
        if r.ignore404 { line(10, "ignore_statuses: [404]", "medium: 404 is documented: a parent record without one") }
        if let key = r.primaryKey {
            let text = key.value.count == 1 ? YAMLText.scalar(key.value[0]) : "[" + key.value.joined(separator: ", ") + "]"
            line(8, "primary_key: \(text)", key.comment)
        }
        line(8, "write_disposition: \(r.writeDisposition)")
        if let why = r.disabledBecause { line(8, "enabled: false", "low: \(why)") }
    }

    private mutating func writeTrailer() {
        if !draft.candidates.isEmpty {
            line(4, "# Candidates, not loaded as drafted:")
            for c in draft.candidates {
                line(4, "#   \(c.method) /\(c.path.drop { $0 == "/" }) — \(Self.oneLine(c.summary)): \(c.why)")
            }
        }
        if !draft.variables.isEmpty {
            line(4, "# Variables this source reads (environment or .connector/secrets.yaml):")
            for v in draft.variables { line(4, "#   \(v.name): \(Self.oneLine(v.meaning))") }
        }
        if !draft.notes.isEmpty {
            line(4, "# Notes:")
            for note in draft.notes { line(4, "#   - \(Self.oneLine(note))") }
        }
    }
}

/// Scalars and small flow collections written so that YAML reads them back as the same strings.
enum YAMLText {
    static let reserved: Set = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]

    static func scalar(_ text: String) -> String {
        let plain = text.first.map { $0.isLetter || $0 == "_" } ?? false
            && text.allSatisfy { $0.isLetter || $0.isNumber || "_-./$".contains($0) }
            && !reserved.contains(text.lowercased())
        if plain { return text }
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out += ch.value < 0x20 ? String(format: "\\u%04x", ch.value) : String(ch)
            }
        }
        return out + "\""
    }

    static func flow(_ pairs: [(key: String, value: String)]) -> String {
        "{" + pairs.map { "\(scalar($0.key)): \(scalar($0.value))" }.joined(separator: ", ") + "}"
    }

    /// `items`, or `[a, $]` from the comma-joined alternatives of a `oneOf`.
    static func selector(_ text: String) -> String {
        if text.hasPrefix("[") { return text }
        let parts = text.split(separator: ",").map { scalar(String($0)) }
        return parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
    }
}
