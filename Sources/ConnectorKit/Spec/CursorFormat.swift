import CivilTime

/// One instant of a time cursor: seconds since 1970 (UTC) and nanoseconds, so that cursors
/// written in different formats (ISO 8601 with any offset, epoch seconds or milliseconds, a
/// date, a pattern) compare by time, never as text.
public struct CursorInstant: Comparable, Sendable {
    public var seconds: Int
    public var nanos: Int

    public init(seconds: Int, nanos: Int = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (a: CursorInstant, b: CursorInstant) -> Bool {
        (a.seconds, a.nanos) < (b.seconds, b.nanos)
    }

    /// Moved by whole seconds.
    public func adding(seconds delta: Int) -> CursorInstant { CursorInstant(seconds: seconds + delta, nanos: nanos) }
}

/// How a time cursor is written: in the records (`cursor_format`) or in the request
/// (`request_format`). A pattern uses Unicode tokens (`yyyy-MM-dd HH:mm`, text in single
/// quotes) or strftime's (`%Y-%m-%d %H:%M`), and is read and written in UTC.
public enum CursorFormat: Sendable, Equatable {
    case iso8601
    case epochSeconds
    case epochMillis
    case date
    case pattern(TimePattern)

    /// The names a spec may give; anything else is a pattern.
    static let names = ["iso8601", "epoch_seconds", "epoch_millis", "date"]

    /// Reads a format name or pattern, pointing at it when it is neither.
    static func read(_ value: ConfigString, key: String) throws(SpecError) -> CursorFormat {
        switch value.value {
        case "iso8601": return .iso8601
        case "epoch_seconds": return .epochSeconds
        case "epoch_millis": return .epochMillis
        case "date": return .date
        default:
            do {
                return .pattern(try TimePattern(value.value))
            } catch {
                throw SpecError(
                    "'\(key)' must be one of \(names.joined(separator: ", ")) or a pattern like "
                        + "'yyyy-MM-dd HH:mm' (tokens yyyy MM dd HH mm ss SSS, text in 'quotes') or '%Y-%m-%d %H:%M': "
                        + "\(error.message) in '\(value.value)'", at: value.location)
            }
        }
    }

    /// The instant a cursor value names in this format, or nil when it is not written so.
    public func parse(_ text: String) -> CursorInstant? {
        switch self {
        case .iso8601, .date:
            if self == .date, text.utf8.count != 10 { return nil }
            return Self.parseISO(text)
        case .epochSeconds: return Self.parseEpoch(text, perSecond: 1)
        case .epochMillis: return Self.parseEpoch(text, perSecond: 1000)
        case .pattern(let p): return p.parse(text)
        }
    }

    /// The value written in this format, truncated to its precision.
    public func render(_ instant: CursorInstant) -> String {
        switch self {
        case .iso8601:
            guard instant.nanos != 0 else { return Timestamps.iso(instant.seconds) }
            return Timestamps.iso(instant.seconds, millis: instant.nanos / 1_000_000)
        case .date: return String(Timestamps.iso(instant.seconds).prefix(10))
        case .epochSeconds: return String(instant.seconds)
        case .epochMillis: return String(instant.seconds * 1000 + instant.nanos / 1_000_000)
        case .pattern(let p): return p.render(instant)
        }
    }

    /// The value written in this format, rounded up to its precision: an end bound that the
    /// API compares in a coarser unit still covers every instant before it.
    public func renderCeiling(_ instant: CursorInstant) -> String {
        let floor = render(instant)
        guard let back = parse(floor), back < instant else { return floor }
        return render(instant.adding(seconds: precisionSeconds))
    }

    /// The smallest step the format can tell apart, in whole seconds (at least one).
    var precisionSeconds: Int {
        switch self {
        case .iso8601, .epochSeconds, .epochMillis: return 1
        case .date: return 86_400
        case .pattern(let p): return p.precisionSeconds
        }
    }

    /// ISO 8601 timestamp or date with any offset, fraction to nanoseconds.
    static func parseISO(_ text: String) -> CursorInstant? {
        guard let seconds = Timestamps.parse(text) else { return nil }
        var nanos = 0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }.prefix(9)
            nanos = (Int(digits) ?? 0) * Self.power(9 - digits.count)
        }
        return CursorInstant(seconds: seconds, nanos: nanos)
    }

    private static func parseEpoch(_ text: String, perSecond: Int) -> CursorInstant? {
        guard let n = Int(text) else { return nil }
        let seconds = n >= 0 ? n / perSecond : (n - perSecond + 1) / perSecond
        return CursorInstant(seconds: seconds, nanos: (n - seconds * perSecond) * (1_000_000_000 / perSecond))
    }

    private static func power(_ n: Int) -> Int { (0..<n).reduce(1) { p, _ in p * 10 } }
}
