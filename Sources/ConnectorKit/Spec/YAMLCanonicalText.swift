/// One text for a YAML value that two equal declarations share, whatever their layout: mapping keys
/// sorted, no comments, places or quoting style, `${…}` expanded (so a changed variable changes it),
/// every string length-prefixed (so no value can pass for structure). Cheap and the same in every
/// process, unlike a printed Swift value (whose dictionaries come out in a per-process order).
enum YAMLCanonicalText {
    static func of(_ node: YAMLNode, interpolator: Interpolator) -> String {
        var out = ""
        write(node, interpolator, to: &out)
        return out
    }

    private static func write(_ node: YAMLNode, _ interpolator: Interpolator, to out: inout String) {
        switch node {
        case .scalar(let text, _, let location):
            let value = (try? interpolator.expand(text, at: location).value) ?? text
            string(value, to: &out)
        case .sequence(let items, _):
            out += "["
            for item in items { write(item, interpolator, to: &out) }
            out += "]"
        case .mapping(let pairs, _):
            out += "{"
            for pair in pairs.sorted(by: { $0.key < $1.key }) {
                string(pair.key, to: &out)
                write(pair.value, interpolator, to: &out)
            }
            out += "}"
        }
    }

    /// `s` length-prefixed, so that no text can pass for structure (shared with `CanonicalDump`).
    static func string(_ s: String, to out: inout String) {
        out += "\(s.utf8.count):"
        out += s
    }
}
