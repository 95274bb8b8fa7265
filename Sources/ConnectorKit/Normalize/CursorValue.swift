import CivilTime

/// Orders cursor values: timestamps by time, numbers numerically, otherwise as text.
public enum CursorValue {
    /// In a declared cursor format, values that parse compare by instant.
    public static func isGreater(_ a: String, than b: String, format: CursorFormat?) -> Bool {
        if let format, let x = format.parse(a), let y = format.parse(b) { return x > y }
        return isGreater(a, than: b)
    }

    public static func isGreater(_ a: String, than b: String) -> Bool {
        // The common case, checked per record: UTC timestamps of one format order as text.
        if let order = utcTimestampOrder(a, b) { return order }
        // Integers exactly (ids past 2^53 differ where their doubles do not), other numbers as doubles.
        if let order = DecimalText.compareIntegers(a, b) { return order > 0 }
        if let x = Double(a), let y = Double(b) { return x > y }
        if RecordNormalizer.looksLikeTimestamp(a), RecordNormalizer.looksLikeTimestamp(b),
            let x = TimestampOrder.key(a), let y = TimestampOrder.key(b)
        {
            return x > y
        }
        return a > b
    }

    /// Whether `a` is after `b` when both are UTC timestamps (`…Z`) of the same length, read in
    /// one look at both strings' bytes; nil otherwise.
    static func utcTimestampOrder(_ a: String, _ b: String) -> Bool? {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count, x.last == UInt8(ascii: "Z"), y.last == UInt8(ascii: "Z"),
                    RecordNormalizer.looksLikeTimestamp(UnsafeRawBufferPointer(x)),
                    RecordNormalizer.looksLikeTimestamp(UnsafeRawBufferPointer(y))
                else { return nil }
                return precedes(y, x)
            }
        }
    }

    /// Whether `xs` comes before `ys` byte by byte: the generic `lexicographicallyPrecedes` over
    /// two `UTF8View`s cost ~1,000 instructions a pair of timestamps, and this runs per record.
    private static func precedes(_ xs: UnsafeBufferPointer<UInt8>, _ ys: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<min(xs.count, ys.count) where xs[i] != ys[i] { return xs[i] < ys[i] }
        return xs.count < ys.count
    }
}

enum TimestampOrder {
    /// Seconds and the fractional digits, comparable across offsets.
    static func key(_ s: String) -> (Int, String)? {
        guard let seconds = Timestamps.parse(s) else { return nil }
        var fraction = ""
        if let dot = s.firstIndex(of: ".") { fraction = String(s[s.index(after: dot)...].prefix { $0.isNumber }) }
        return (seconds, fraction.padding(toLength: 9, withPad: "0", startingAt: 0))
    }
}
