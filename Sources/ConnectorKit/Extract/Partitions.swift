import CivilTime
import Foundation

/// One unit of work of a resource: placeholder values for its request templates, columns to
/// add to its rows, and the key under which its state (cursor, job) is kept.
public struct WorkItem: Sendable {
    public var placeholders: [String: String]
    public var extras: [(name: String, value: Value)]
    /// `name=value,…` of the partitions (and parent) it stands for; "" for a plain resource.
    public var key: String

    public init(placeholders: [String: String] = [:], extras: [(name: String, value: Value)] = [], key: String = "") {
        self.placeholders = placeholders
        self.extras = extras
        self.key = key
    }

    func adding(
        name: String, placeholder: String, value: Value, keyPart: String, extraPlaceholders: [String: String] = [:]
    ) -> WorkItem {
        var copy = self
        copy.placeholders[name] = placeholder
        copy.placeholders.merge(extraPlaceholders) { $1 }
        copy.extras.append((name, value))
        copy.key = copy.key.isEmpty ? "\(name)=\(keyPart)" : copy.key + ",\(name)=\(keyPart)"
        return copy
    }

    /// `report_id=1001 quarter=2026_Q1: ` — prefixes messages about this item.
    var label: String { key.isEmpty ? "" : key.replacingAll(",", with: " ") + ": " }
}

/// Expands declared partitions into work items (their product).
public enum PartitionExpander {
    /// Work items, or the reason the resource has nothing to do (an unset list variable).
    public static func expand(_ partitions: [PartitionSpec], now: Date = Date()) -> (
        items: [WorkItem], skipNote: String?
    ) {
        var items = [WorkItem()]
        for p in partitions {
            var next: [WorkItem] = []
            switch p.kind {
            case .list(let values, let unset):
                if values.isEmpty {
                    let why = unset.isEmpty ? "its list is empty" : "\(unset.joined(separator: ", ")) is not set"
                    return ([], "skipped: partition '\(p.name)' has no values (\(why))")
                }
                for item in items {
                    for v in values {
                        next.append(item.adding(name: p.name, placeholder: v, value: .text(v), keyPart: v))
                    }
                }
            case .fiscalQuarters(let current, let previous, let startMonth):
                let labels = fiscalQuarters(
                    now: now, current: current, previous: previous, fiscalYearStartMonth: startMonth)
                for item in items {
                    for q in labels {
                        next.append(item.adding(name: p.name, placeholder: q, value: .text(q), keyPart: q))
                    }
                }
            case .timeWindows(let start, let end, let interval, let bounds):
                let windows = timeWindows(start: start, end: end, interval: interval, now: now)
                for item in items {
                    for w in windows {
                        let sent = bounds.parameters(from: w.start, to: w.end)
                        next.append(
                            item.adding(
                                name: p.name, placeholder: w.start, value: .text(w.start), keyPart: w.start,
                                extraPlaceholders: ["\(p.name).start": sent.start, "\(p.name).end": sent.end]))
                    }
                }
            }
            items = next
        }
        return (items, nil)
    }

    /// `YYYY_QN` labels, oldest first. With a fiscal year starting in month M > 1, the year is
    /// named after the calendar year in which it ends (FY2027 starts in Feb 2026 when M = 2).
    public static func fiscalQuarters(now: Date, current: Bool, previous: Int, fiscalYearStartMonth m: Int) -> [String]
    {
        let seconds = Int(now.timeIntervalSince1970)
        let (year, month, _) = Timestamps.civil(fromDays: seconds / 86_400)
        let monthsIntoYear = (month - m + 12) % 12
        var fiscalYear = m == 1 ? year : (month >= m ? year + 1 : year)
        var quarter = monthsIntoYear / 3 + 1
        var labels: [String] = []
        if current { labels.append("\(fiscalYear)_Q\(quarter)") }
        for _ in 0..<previous {
            quarter -= 1
            if quarter == 0 { quarter = 4; fiscalYear -= 1 }
            labels.append("\(fiscalYear)_Q\(quarter)")
        }
        return labels.reversed()
    }

    public static func timeWindows(start: String, end: String?, interval: PartitionSpec.WindowInterval, now: Date) -> [(
        start: String, end: String
    )] {
        guard var from = Timestamps.parse(start) else { return [] }
        let until = end.flatMap(Timestamps.parse) ?? Int(now.timeIntervalSince1970)
        var out: [(String, String)] = []
        while from < until && out.count < 100_000 {
            let to = min(advance(from, interval), until)
            out.append((Timestamps.iso(from), Timestamps.iso(to)))
            from = to
        }
        return out
    }

    static func advance(_ seconds: Int, _ interval: PartitionSpec.WindowInterval) -> Int {
        switch interval {
        case .day: return seconds + 86_400
        case .week: return seconds + 7 * 86_400
        case .month, .quarter, .year:
            let months = interval == .month ? 1 : (interval == .quarter ? 3 : 12)
            let days = seconds / 86_400, rest = seconds - days * 86_400
            let (y, m, d) = Timestamps.civil(fromDays: days)
            let total = y * 12 + (m - 1) + months
            return Timestamps.days(fromCivil: total / 12, total % 12 + 1, d) * 86_400 + rest
        }
    }
}

extension WindowBounds {
    /// The values to send for the window `[from, to)` (ISO 8601 timestamps) so that the API,
    /// reading its parameters as declared, returns exactly the records inside it: a strict
    /// start and an inclusive end move back by one `precision`.
    func parameters(from: String, to: String) -> (start: String, end: String) {
        let from = Timestamps.parse(from) ?? 0, to = Timestamps.parse(to) ?? 0
        let startMillis = from * 1000 - (start == .exclusive ? precisionMillis : 0)
        let endMillis = to * 1000 - (end == .inclusive ? precisionMillis : 0)
        return (iso(millis: startMillis), iso(millis: endMillis))
    }

    /// Whole seconds when the precision is, milliseconds otherwise.
    private func iso(millis: Int) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return precisionMillis % 1000 == 0
            ? Timestamps.iso(seconds) : Timestamps.iso(seconds, millis: millis - seconds * 1000)
    }
}
