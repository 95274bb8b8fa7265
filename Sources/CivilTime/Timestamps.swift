/// ISO 8601 UTC timestamps and civil dates from and to epoch seconds, without Foundation's
/// formatters: shared by the engine (cursors, partitions) and the sandbox (generated data).
public enum Timestamps {
    public static func iso(_ epochSeconds: Int, millis: Int? = nil) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = epochSeconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        var s = "\(y)-\(two(m))-\(two(d))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):\(two(secondsOfDay % 60))"
        if let millis { let m = String(millis); s += "." + String(repeating: "0", count: max(0, 3 - m.count)) + m }
        return s + "Z"
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; nil when malformed.
    public static func parse(_ text: String) -> Int? {
        let c = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= c.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard c[i] >= 48 && c[i] <= 57 else { return nil }
                v = v * 10 + Int(c[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2) else { return nil }
        var seconds = days(fromCivil: y, mo, d) * 86_400
        if c.count > 10 {
            guard let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2) else { return nil }
            seconds += h * 3600 + mi * 60 + se
            var i = 19
            if i < c.count, c[i] == UInt8(ascii: ".") { i += 1; while i < c.count, c[i] >= 48, c[i] <= 57 { i += 1 } }
            if i < c.count, c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-"),
               let oh = num(i + 1, 2), let om = num(i + 4, 2) {
                let offset = oh * 3600 + om * 60
                seconds += c[i] == UInt8(ascii: "+") ? -offset : offset
            }
        }
        return seconds
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
