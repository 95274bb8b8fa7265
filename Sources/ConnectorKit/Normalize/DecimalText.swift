/// Numbers kept as text (`DataType.decimal`, cursors): their reach, and exact comparison.
enum DecimalText {
    /// PostgreSQL's `numeric`, the narrowest destination: digits before and after the point.
    static let maxIntegerDigits = 131_072
    static let maxFractionDigits = 16_383

    /// Why the JSON number `text` is beyond what every destination stores exactly; nil when it fits.
    static func rangeProblem(_ text: String) -> String? {
        var integerDigits = 0, index = 0
        var sawPoint = false
        var first: Int?, last = 0
        var exponent = 0, exponentSign = 1
        var inExponent = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int(byte) - 48
                if inExponent {
                    if exponent < 100_000_000 { exponent = exponent * 10 + digit }
                    continue
                }
                if digit != 0 { first = first ?? index; last = index }
                if !sawPoint { integerDigits += 1 }
                index += 1
            case UInt8(ascii: "."): sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-") where inExponent: exponentSign = -1
            default: continue
            }
        }
        guard let first else { return nil }  // zero
        let power = exponentSign * exponent
        let digitsBeforePoint = integerDigits - first + power
        let digitsAfterPoint = last + 1 - integerDigits - power
        guard digitsBeforePoint > maxIntegerDigits || digitsAfterPoint > maxFractionDigits else { return nil }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\(shown) is beyond the exact numbers every destination stores "
            + "(at most \(maxIntegerDigits) digits before the decimal point and \(maxFractionDigits) after)"
    }

    /// The order of two integers written in decimal (`-12`, `18446744073709551616`), exactly:
    /// negative, zero or positive as `a` is below, equal to or above `b`. Nil unless both are integers.
    static func compareIntegers(_ a: String, _ b: String) -> Int? {
        guard let x = IntegerText(a), let y = IntegerText(b) else { return nil }
        if x.negative != y.negative { return x.negative ? -1 : 1 }
        let magnitude =
            x.digits.count != y.digits.count
            ? (x.digits.count < y.digits.count ? -1 : 1)
            : (x.digits.elementsEqual(y.digits) ? 0 : (x.digits.lexicographicallyPrecedes(y.digits) ? -1 : 1))
        return x.negative ? -magnitude : magnitude
    }

    /// An optional minus and digits, without leading zeros.
    private struct IntegerText {
        let negative: Bool
        let digits: Substring.UTF8View

        init?(_ text: String) {
            var rest = Substring(text).utf8
            let negative = rest.first == UInt8(ascii: "-")
            if negative { rest = rest.dropFirst() }
            guard !rest.isEmpty, rest.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            while rest.count > 1, rest.first == UInt8(ascii: "0") { rest = rest.dropFirst() }
            self.negative = negative && !rest.elementsEqual("0".utf8)
            digits = rest
        }
    }
}
