import CivilTime

/// A fixed-width time layout such as `yyyy-MM-dd HH:mm` (a query language's dates) or `%Y-%m-%d %H:%M`,
/// read and written in UTC. Only fields that name one instant are accepted — year, month,
/// day, hour (0–23), minute, second, millisecond — so a pattern can never mean two things.
public struct TimePattern: Sendable, Equatable {
    enum Part: Equatable {
        case field(Field)
        case text(String)
    }

    enum Field: String, CaseIterable {
        case year = "yyyy", month = "MM", day = "dd", hour = "HH", minute = "mm", second = "ss", millis = "SSS"

        var width: Int { rawValue.count }
        /// The strftime spelling.
        var strftime: Character {
            switch self {
            case .year: "Y"
            case .month: "m"
            case .day: "d"
            case .hour: "H"
            case .minute: "M"
            case .second: "S"
            case .millis: "L"
            }
        }
    }

    struct Problem: Error {
        let message: String
    }

    let parts: [Part]

    init(_ pattern: String) throws(Problem) {
        parts = pattern.contains("%") ? try Self.strftimeParts(pattern) : try Self.unicodeParts(pattern)
        let fields = parts.compactMap { if case .field(let f) = $0 { f } else { nil } }
        guard fields.contains(.year), fields.contains(.month), fields.contains(.day) else {
            throw Problem(message: "a pattern needs a year, a month and a day")
        }
        guard Set(fields).count == fields.count else { throw Problem(message: "a field appears twice") }
    }

    private static func unicodeParts(_ pattern: String) throws(Problem) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let c = rest.first {
            if c == "'" {
                let body = rest.dropFirst().prefix { $0 != "'" }
                guard rest.dropFirst(body.count + 1).first == "'" else { throw Problem(message: "an unclosed quote") }
                parts.append(.text(String(body)))
                rest = rest.dropFirst(body.count + 2)
            } else if c.isLetter {
                let run = rest.prefix { $0 == c }
                guard let field = Field(rawValue: String(run)) else {
                    let valid = Field.allCases.map(\.rawValue).joined(separator: " ")
                    throw Problem(message: "unknown token '\(run)' (valid: \(valid); quote other letters)")
                }
                parts.append(.field(field))
                rest = rest.dropFirst(run.count)
            } else {
                parts.append(.text(String(c)))
                rest = rest.dropFirst()
            }
        }
        return parts
    }

    private static func strftimeParts(_ pattern: String) throws(Problem) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let c = rest.first {
            rest = rest.dropFirst()
            guard c == "%" else { parts.append(.text(String(c))); continue }
            guard let code = rest.first else { throw Problem(message: "a '%' at the end") }
            rest = rest.dropFirst()
            if code == "%" { parts.append(.text("%")); continue }
            guard let field = Field.allCases.first(where: { $0.strftime == code }) else {
                throw Problem(message: "unknown directive '%\(code)' (valid: %Y %m %d %H %M %S %L %%)")
            }
            parts.append(.field(field))
        }
        return parts
    }

    /// The instant `text` names, or nil when it does not follow the pattern exactly.
    func parse(_ text: String) -> CursorInstant? {
        var values: [Field: Int] = [:]
        var rest = Substring(text)
        for part in parts {
            switch part {
            case .text(let t):
                guard rest.hasPrefix(t) else { return nil }
                rest = rest.dropFirst(t.count)
            case .field(let f):
                let digits = rest.prefix(f.width)
                guard digits.count == f.width, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let n = Int(digits)
                else { return nil }
                values[f] = n
                rest = rest.dropFirst(f.width)
            }
        }
        guard rest.isEmpty, let y = values[.year], let mo = values[.month], let d = values[.day],
            (1...12).contains(mo), (1...Timestamps.daysIn(month: mo, year: y)).contains(d)
        else { return nil }
        let (h, mi, s) = (values[.hour] ?? 0, values[.minute] ?? 0, values[.second] ?? 0)
        guard h < 24, mi < 60, s < 60 else { return nil }
        let seconds = Timestamps.days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
        return CursorInstant(seconds: seconds, nanos: (values[.millis] ?? 0) * 1_000_000)
    }

    /// The instant written with the pattern (finer fields than the pattern has are dropped).
    func render(_ instant: CursorInstant) -> String {
        let days = instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400
        let ofDay = instant.seconds - days * 86_400
        let (y, mo, d) = Timestamps.civil(fromDays: days)
        let values: [Field: Int] = [
            .year: y, .month: mo, .day: d, .hour: ofDay / 3600, .minute: ofDay % 3600 / 60, .second: ofDay % 60,
            .millis: instant.nanos / 1_000_000,
        ]
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .field(let f):
                let n = String(values[f] ?? 0)
                out += String(repeating: "0", count: max(0, f.width - n.count)) + n
            }
        }
        return out
    }

    /// The finest unit the pattern writes, in whole seconds.
    var precisionSeconds: Int {
        let fields = Set(parts.compactMap { if case .field(let f) = $0 { f } else { nil } })
        if fields.contains(.second) || fields.contains(.millis) { return 1 }
        if fields.contains(.minute) { return 60 }
        if fields.contains(.hour) { return 3600 }
        return 86_400
    }
}
