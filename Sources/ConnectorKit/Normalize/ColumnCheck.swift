/// Holds a root row to its `columns:` hints before it is kept: a `nullable: false` column
/// must have a value, and a number in a column with a `precision` must fit it exactly (at
/// most `precision - scale` digits before the point, `scale` after) — never rounded.
enum ColumnCheck {
    /// Why the row breaks a hint, or nil.
    static func problem(_ row: [Value], in table: TableBuilder, hints: [String: ColumnHint]) -> String? {
        for (name, hint) in hints.sorted(by: { $0.key < $1.key }) {
            let value = table.columnIndex(named: name).flatMap { $0 < row.count ? row[$0] : nil } ?? .null
            if value == .null {
                if !hint.nullable { return "column '\(name)' is declared nullable: false, but a record has no value" }
                continue
            }
            guard let precision = hint.precision, let text = value.textValue else { continue }
            let scale = hint.scale ?? 0
            guard let digits = digits(text) else {
                return "column '\(name)' is a decimal(\(precision),\(scale)), but a record has '\(text)'"
            }
            if digits.fraction > scale || digits.integer > precision - scale {
                return "column '\(name)': \(text) does not fit decimal(\(precision),\(scale)) exactly "
                    + "(\(digits.integer) digit(s) before the point, \(digits.fraction) after)"
            }
        }
        return nil
    }

    /// Significant digits before and after the point of a decimal literal (`-0012.3400`,
    /// `1.5e3`): leading zeros of the integer part and trailing zeros of the fraction do not count.
    static func digits(_ text: String) -> (integer: Int, fraction: Int)? {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(body[body.index(after: e)...]) else { return nil }
            exponent = x
            body = body[..<e]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !body.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        // Move the point by the exponent over the digits.
        let all = Array(parts[0] + (parts.count == 2 ? parts[1] : ""))
        let point = parts[0].count + exponent
        let integer =
            point <= 0 ? [] : Array(all.prefix(point)) + Array(repeating: "0", count: max(0, point - all.count))
        let fraction =
            point >= all.count ? [] : Array(repeating: "0", count: max(0, -point)) + all.dropFirst(max(0, point))
        return (
            integer.drop { $0 == "0" }.count,
            Array(fraction.reversed().drop { $0 == "0" }).count
        )
    }
}
