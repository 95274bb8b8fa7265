/// Where in a spec file a value was written.
public struct SpecLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A mistake in `sources.yaml` or a destination file: where it is, what is wrong, and what
/// would be valid. Its description reads like a compiler diagnostic.
public struct SpecError: Error, Sendable, CustomStringConvertible {
    public let location: SpecLocation?
    public let message: String
    /// The offending line with a caret under the column, when the source text is known.
    public let snippet: String?

    public init(_ message: String, at location: SpecLocation?, snippet: String? = nil) {
        self.location = location
        self.message = message
        self.snippet = snippet
    }

    public var description: String {
        var text = location.map { "\($0): error: \(message)" } ?? "error: \(message)"
        if let snippet, !snippet.isEmpty { text += "\n" + snippet }
        return text
    }
}

/// Closest spellings first, for "did you mean" hints.
enum Suggest {
    static func nearest(_ word: String, in choices: [String]) -> String? {
        let scored = choices.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
