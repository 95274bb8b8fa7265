/// Header names compare without regard to case (RFC 9110 §5.1). Every answer is searched for
/// several headers (rate-limit signals, `Retry-After`, `Link`) and every request's headers are
/// merged by name, so the comparison folds ASCII case byte by byte instead of lower-casing
/// (allocating) both names for each pair.
enum HeaderName {
    /// Whether `a` and `b` name the same header.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        guard x.count == y.count else { return false }
        // Names are ASCII tokens; anything else falls back to full Unicode lower-casing.
        guard x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) else { return a.lowercased() == b.lowercased() }
        return x.elementsEqual(y) { folded($0) == folded($1) }
    }

    /// `byte` with A–Z folded to a–z.
    private static func folded(_ byte: UInt8) -> UInt8 { byte &- 65 < 26 ? byte | 0x20 : byte }
}
