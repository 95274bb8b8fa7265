// libyaml's event parser (bundled with Yams as CYaml): it reports aliases as events instead
// of sharing nodes, which is what a budget needs to count them before any tree exists.
import CYaml

/// Refuses YAML whose aliases would expand into too many nodes ("billion laughs": ten nested
/// aliases of ten items each make 10^10 nodes out of a few hundred bytes).
///
/// Yams composes an alias as the anchored node itself, shared, so its tree stays small; but
/// every walk over it — converting it, even hashing an alias used as a mapping key — visits
/// the expansion. This check reads the parser's events once, keeps the expanded size of each
/// anchored node, and stops at the first alias that pushes the total past the budget, so
/// the cost is linear in the text whatever the aliases would expand to.
enum YAMLAliasBudget {
    /// Nodes all aliases of one file may add, together. Sharing a paginator or a block of
    /// parameters between a few dozen resources needs a few hundred.
    static let maxAliasedNodes = 10_000

    /// Throws at the alias that crosses `limit`. Syntax errors are left to the real parse,
    /// which reports them with their location.
    static func check(_ text: String, file: String, limit: Int = maxAliasedNodes) throws(SpecError) {
        var text = text
        let crossing: Crossing? = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            return firstCrossing(base, count: bytes.count, limit: limit)
        }
        guard let crossing else { return }
        let location = SpecLocation(file: file, line: crossing.line, column: crossing.column)
        throw SpecError(
            "YAML aliases up to '*\(crossing.anchor)' add \(crossing.total) nodes (this one \(crossing.size)); "
                + "aliases may add at most \(limit) nodes to a file, a guard against alias bombs. "
                + "Write the values out, or share less through anchors",
            at: location, snippet: snippet(text, line: crossing.line, column: crossing.column))
    }

    struct Crossing {
        let anchor: String
        let size: Int
        let total: Int
        let line: Int
        let column: Int
    }

    /// One open sequence or mapping: its anchor and the nodes it holds so far (itself included).
    private struct OpenNode {
        let anchor: String?
        var size = 1
    }

    private static func firstCrossing(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Crossing? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes, count)
        /// Expanded size of the latest node defined under each anchor (later anchors shadow).
        var sizes: [String: Int] = [:]
        var open: [OpenNode] = []
        var added = 0

        func close(size: Int, anchor: String?) {
            if let anchor { sizes[anchor] = size }
            if !open.isEmpty { open[open.count - 1].size += size }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                close(size: 1, anchor: name(event.data.scalar.anchor))
            case YAML_SEQUENCE_START_EVENT:
                open.append(OpenNode(anchor: name(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                open.append(OpenNode(anchor: name(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let node = open.popLast() { close(size: node.size, anchor: node.anchor) }
            case YAML_ALIAS_EVENT:
                let anchor = name(event.data.alias.anchor) ?? ""
                // An anchor not defined yet (or still open, i.e. recursive) is the real parse's error.
                let size = sizes[anchor] ?? 1
                added += size
                if added > limit {
                    return Crossing(
                        anchor: anchor, size: size, total: added, line: Int(event.start_mark.line) + 1,
                        column: Int(event.start_mark.column) + 1)
                }
                close(size: size, anchor: nil)
            default:
                continue
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }

    /// The offending line and a caret under the column.
    static func snippet(_ text: String, line: Int, column: Int) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(line - 1).makeIterator()
        guard line >= 1, let content = lines.next() else { return nil }
        return content + "\n" + String(repeating: " ", count: max(column - 1, 0)) + "^"
    }
}
