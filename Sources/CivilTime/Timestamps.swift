/// ISO 8601 UTC timestamps and civil dates from and to epoch seconds, without Foundation's
/// formatters: shared by the engine (cursors, partitions) and the sandbox (generated data).
public enum Timestamps {
    public static func iso(_ epochSeconds: Int, millis: Int? = nil) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = epochSeconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        var s =
            "\(y)-\(two(m))-\(two(d))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):\(two(secondsOfDay % 60))"
        if let millis { let m = String(millis); s += "." + String(repeating: "0", count: max(0, 3 - m.count)) + m }
        return s + "Z"
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DD(T| )HH:MM:SS[.fff…][Z|±HH:MM|±HHMM]` (no zone means UTC);
    /// nil when malformed or out of range — month 13, 30 February, hour 24, trailing text — so
    /// `2024-13-45` is never a date.
    public static func parse(_ text: String) -> Int? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let y = scanner.number(4), scanner.skip("-"), let mo = scanner.number(2), scanner.skip("-"),
            let d = scanner.number(2), (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d)
        else { return nil }
        var seconds = days(fromCivil: y, mo, d) * 86_400
        if scanner.atEnd { return seconds }
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let h = scanner.number(2), scanner.skip(":"), let mi = scanner.number(2), scanner.skip(":"),
            let se = scanner.number(2),
            h < 24, mi < 60, se < 61
        else { return nil }
        seconds += h * 3600 + mi * 60 + se
        if scanner.skip(".") { guard scanner.digits() > 0 else { return nil } }
        if scanner.skip("Z") || scanner.skip("z") { return scanner.atEnd ? seconds : nil }
        if scanner.atEnd { return seconds }
        let sign = scanner.skip("+") ? -1 : (scanner.skip("-") ? 1 : 0)
        guard sign != 0, let oh = scanner.number(2) else { return nil }
        _ = scanner.skip(":")
        guard let om = scanner.number(2), oh < 24, om < 60, scanner.atEnd else { return nil }
        return seconds + sign * (oh * 3600 + om * 60)
    }

    /// True when `text` starts like a date (`YYYY-`): then it must parse to be valid.
    public static func looksLikeDate(_ text: String) -> Bool {
        var scanner = DigitScanner(Array(text.utf8.prefix(5)))
        return scanner.number(4) != nil && scanner.skip("-")
    }

    /// Days in a month of the proleptic Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// Reads fixed-width digit fields and separators from ASCII bytes, left to right.
struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    /// Exactly `width` digits as a number, or nil (and nothing consumed).
    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<(index + width)] {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += width
        return value
    }

    /// Consumes `character` when it is next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Consumes a run of digits; how many.
    mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
        return index - start
    }
}
