/// Pure functions of (seed, index) that every generated value is drawn from, so that any
/// record can be produced on demand, at any scale, without keeping data in memory.
struct Deterministic: Sendable {
    let seed: UInt64

    /// SplitMix64 of seed, stream and index.
    func hash(_ stream: UInt64, _ index: Int) -> UInt64 {
        var z = seed &+ stream &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: index) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func int(_ stream: UInt64, _ index: Int, below bound: Int) -> Int {
        Int(hash(stream, index) % UInt64(max(bound, 1)))
    }

    func pick<T>(_ values: [T], _ stream: UInt64, _ index: Int) -> T {
        values[int(stream, index, below: values.count)]
    }

    func uuid(_ stream: UInt64, _ index: Int) -> String {
        let a = hash(stream, index), b = hash(stream &+ 1, index)
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-4" + String(c[13..<16]) + "-a"
            + String(c[17..<20]) + "-" + String(c[20..<32])
    }

    static let firstNames = [
        "Ana", "Björn", "Chloé", "Dmitri", "Eun-ji", "Fatima", "Gustavo", "Hiroshi",
        "Ingrid", "José", "Kwame", "Léa", "Mateus", "Nadia", "Oğuz", "Priya",
        "Quentin", "Renée", "Søren", "Tomás", "Uma", "Václav", "Wen", "Zoë",
    ]
    static let lastNames = [
        "Almeida", "Brown", "Černý", "Dubois", "Eriksson", "Fernández", "García",
        "Håkansson", "Ivanova", "Jørgensen", "Kim", "López", "Müller", "Nakamura",
        "O'Brien", "Petrov", "Quinn", "Rossi", "Schäfer", "Tanaka", "Umar", "Wójcik",
    ]

    func personName(_ stream: UInt64, _ index: Int) -> String {
        pick(Self.firstNames, stream, index) + " " + pick(Self.lastNames, stream &+ 7, index)
    }

    func email(for name: String, index: Int) -> String {
        let ascii = name.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == " ") }
        return String(String.UnicodeScalarView(ascii)).replacingOccurrences(of: " ", with: ".") + "\(index)@example.com"
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
