import Foundation

/// Numbers and durations as a person reads them in progress lines, and lines cut to a width.
public enum StatusText {
    /// `1234567` → `1,234,567`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `4.2 s`, `1 m 05 s`, `2 h 03 m`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%d m %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d m", whole / 3600, whole % 3600 / 60)
    }

    /// `37%` of the announced records.
    static func percent(_ part: Int, of whole: Int) -> String {
        whole > 0 ? "\(min(100, part * 100 / whole))%" : "0%"
    }

    /// The first `width` characters of `line` (at least one), with `…` when it was cut.
    public static func cut(_ line: String, to width: Int) -> String {
        let width = max(1, width)
        guard line.count > width else { return line }
        return String(line.prefix(width - 1)) + "…"
    }
}
