/// Notes that say the same thing for many work items (`id=7: HTTP 404 ignored as declared`,
/// once per call) folded into one line with a count and a few examples, so that a report shows
/// what happened instead of scrolling it past. The JSON report keeps every note.
public enum RepeatedNotes {
    /// Notes in their first order; a text that follows the item label (`label: text`) of more
    /// than `examples` notes becomes `text: N times (e.g. a, b, c)`.
    public static func fold(_ notes: [String], examples: Int = 3) -> [String] {
        var order: [String] = []
        var labels: [String: [String]] = [:]
        for note in notes {
            let (label, text) = split(note)
            if labels[text] == nil { order.append(text) }
            labels[text, default: []].append(label ?? "")
        }
        var out: [String] = []
        for text in order {
            let seen = labels[text] ?? []
            if seen.count <= examples {
                out += seen.map { $0.isEmpty ? text : "\($0): \(text)" }
            } else {
                let named = seen.filter { !$0.isEmpty }.prefix(examples).joined(separator: ", ")
                out.append("\(text): \(seen.count) times" + (named.isEmpty ? "" : " (e.g. \(named))"))
            }
        }
        return out
    }

    /// `label: text` split at the first `: ` (labels hold none), else no label.
    private static func split(_ note: String) -> (label: String?, text: String) {
        guard let range = note.range(of: ": ") else { return (nil, note) }
        return (String(note[..<range.lowerBound]), String(note[range.upperBound...]))
    }
}
