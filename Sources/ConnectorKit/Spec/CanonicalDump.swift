/// One text for a Swift value that two equal values share in every process: a printed value lists
/// a dictionary's or a set's entries in the process's hash order (Swift seeds hashing per process),
/// so the same spec printed in two runs can differ. This walks the value as `dump` would, with the
/// entries of dictionaries and sets sorted by their own text. Used for what has no YAML declaration
/// (a resource built in code), where `YAMLCanonicalText` cannot serve. `path` (a spec file's, as
/// shown) is written as `sources` wherever a value holds it, so a spec read from another folder
/// gives the same text.
enum CanonicalDump {
    static func of(_ value: Any, path: String = "") -> String {
        var out = ""
        write(value, path, to: &out)
        return out
    }

    private static func write(_ value: Any, _ path: String, to out: inout String) {
        let mirror = Mirror(reflecting: value)
        guard let style = mirror.displayStyle else {
            var text = String(reflecting: value)  // a leaf: numbers, strings, URLs…
            if !path.isEmpty { text = text.replacingAll(path, with: "sources") }
            YAMLCanonicalText.string(text, to: &out)
            return
        }
        switch style {
        case .optional:
            guard let wrapped = mirror.children.first else {
                out += "nil"
                return
            }
            write(wrapped.value, path, to: &out)
        case .dictionary, .set:
            out += "{"
            out += mirror.children.map { of($0.value, path: path) }.sorted().joined()
            out += "}"
        case .enum where mirror.children.isEmpty:  // a case without payload: its name
            YAMLCanonicalText.string("\(mirror.subjectType).\(value)", to: &out)
        default:  // structs, classes, tuples, a case with its payload (labelled by the case's name)
            out += "("
            for child in mirror.children {
                out += (child.label ?? "_") + "="
                write(child.value, path, to: &out)
            }
            out += ")"
        }
    }
}
