/// Substring search on UTF-8 bytes, for paths taken once per request or page. With Foundation
/// imported, `text.contains("…")` and `text.range(of:)` go through NSString (about 6,000
/// instructions a call, 1.3 % of a sandbox run); these compare bytes instead. Byte equality is
/// what their callers look for: ASCII syntax such as `://`, `{` or `${` in URLs and templates.
extension StringProtocol {
    /// The first place where `needle`'s bytes occur; nil for an empty needle, like `range(of:)`.
    func firstByteRange(of needle: String) -> Range<Index>? {
        var needle = needle
        let hay = utf8
        func search(_ h: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
            needle.withUTF8 { n in Self.firstOffsets(of: n, in: h) }
        }
        // Text without contiguous UTF-8 storage (bridged) is searched in a copy.
        guard let offsets = hay.withContiguousStorageIfAvailable(search) ?? Array(hay).withUnsafeBufferPointer(search)
        else { return nil }
        let start = hay.index(hay.startIndex, offsetBy: offsets.lowerBound)
        return start..<hay.index(start, offsetBy: offsets.count)
    }

    /// True when `needle`'s bytes occur in the text (false for an empty needle).
    func containsBytes(_ needle: String) -> Bool { firstByteRange(of: needle) != nil }

    private static func firstOffsets(of n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>) -> Range<Int>?
    {
        guard let first = n.first, n.count <= h.count else { return nil }
        var i = 0
        while i <= h.count - n.count {
            if h[i] == first {
                var k = 1
                while k < n.count, h[i + k] == n[k] { k += 1 }
                if k == n.count { return i..<(i + k) }
            }
            i += 1
        }
        return nil
    }
}
