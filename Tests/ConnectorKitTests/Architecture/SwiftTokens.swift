/// One identifier of a Swift source file, as the architecture checks see it.
struct SwiftToken: Equatable {
    /// The identifier's text, without backticks.
    let text: String
    /// The punctuation right before it (`.` for a member like `x.Kind`, `<` for a generic
    /// parameter), or "a" after another identifier or a string.
    let before: Character
    /// Written right after a `.` (a member: `x.Kind`, `.init`), so it cannot name a top-level type.
    var afterDot: Bool { before == "." }
    /// How many `{` are open around it: 0 for a top-level declaration.
    let depth: Int
}

/// The identifiers of a Swift source, in order, with comments and the text of string literals
/// skipped (interpolations `\(…)` inside strings are scanned as code). Approximate on purpose:
/// enough to find declarations, uses and imports without a parser; not a lexer for the compiler.
enum SwiftTokens {
    static func scan(_ source: String) -> [SwiftToken] {
        var scanner = Scanner(bytes: Array(source.utf8))
        scanner.code(untilClosingParen: false)
        return scanner.tokens
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var depth = 0
        var tokens: [SwiftToken] = []
        var lastSignificant = UInt8(ascii: " ")

        init(bytes: [UInt8]) { self.bytes = bytes }

        func peek(_ offset: Int = 0) -> UInt8 {
            i + offset < bytes.count ? bytes[i + offset] : 0
        }

        /// Code up to the end, or (inside an interpolation) up to its unbalanced `)`.
        mutating func code(untilClosingParen: Bool) {
            var parens = 0
            while i < bytes.count {
                let c = peek()
                switch c {
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                    while i < bytes.count && peek() != UInt8(ascii: "\n") { i += 1 }
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    blockComment()
                case UInt8(ascii: "\""),
                    UInt8(ascii: "#") where rawStringHashes() != nil:
                    string()
                case UInt8(ascii: "`"):
                    i += 1
                    let start = i
                    while i < bytes.count && peek() != UInt8(ascii: "`") { i += 1 }
                    emit(start, i)
                    i += 1
                case _ where isIdentifierHead(c):
                    let start = i
                    while i < bytes.count && isIdentifierBody(peek()) { i += 1 }
                    emit(start, i)
                default:
                    if c == UInt8(ascii: "{") { depth += 1 }
                    if c == UInt8(ascii: "}") { depth -= 1 }
                    if c == UInt8(ascii: "(") { parens += 1 }
                    if c == UInt8(ascii: ")") {
                        if untilClosingParen && parens == 0 { i += 1; return }
                        parens -= 1
                    }
                    if !isSpace(c) { lastSignificant = c }
                    i += 1
                }
            }
        }

        mutating func emit(_ start: Int, _ end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            tokens.append(SwiftToken(text: text, before: Character(Unicode.Scalar(lastSignificant)), depth: depth))
            lastSignificant = UInt8(ascii: "a")
        }

        /// Block comments nest in Swift.
        mutating func blockComment() {
            var level = 0
            repeat {
                if peek() == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                    level += 1; i += 2
                } else if peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                    level -= 1; i += 2
                } else {
                    i += 1
                }
            } while level > 0 && i < bytes.count
        }

        /// The number of `#` before a `"` at the current position, or nil when it is no string.
        func rawStringHashes() -> Int? {
            var n = 0
            while peek(n) == UInt8(ascii: "#") { n += 1 }
            return peek(n) == UInt8(ascii: "\"") ? n : nil
        }

        /// A string literal (`"…"`, `"""…"""`, `#"…"#`), its interpolations scanned as code.
        mutating func string() {
            let hashes = rawStringHashes() ?? 0
            i += hashes
            let multiline =
                peek() == UInt8(ascii: "\"") && peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
            let quotes = multiline ? 3 : 1
            i += quotes
            while i < bytes.count {
                if peek() == UInt8(ascii: "\\") && hashesFollow(hashes, at: i + 1) {
                    i += 1 + hashes
                    if peek() == UInt8(ascii: "(") {
                        i += 1
                        code(untilClosingParen: true)
                    } else {
                        i += 1
                    }
                } else if closesString(quotes: quotes, hashes: hashes) {
                    i += quotes + hashes
                    lastSignificant = UInt8(ascii: "\"")
                    return
                } else {
                    i += 1
                }
            }
        }

        func hashesFollow(_ hashes: Int, at position: Int) -> Bool {
            (0..<hashes).allSatisfy { position + $0 < bytes.count && bytes[position + $0] == UInt8(ascii: "#") }
        }

        func closesString(quotes: Int, hashes: Int) -> Bool {
            (0..<quotes).allSatisfy { peek($0) == UInt8(ascii: "\"") } && hashesFollow(hashes, at: i + quotes)
        }

        func isIdentifierHead(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || c == UInt8(ascii: "_") || c >= 0x80
        }

        func isIdentifierBody(_ c: UInt8) -> Bool {
            isIdentifierHead(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
        }

        func isSpace(_ c: UInt8) -> Bool {
            c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")
        }
    }
}
