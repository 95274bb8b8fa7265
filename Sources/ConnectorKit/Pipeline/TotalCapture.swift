/// For a `row_count_matches` check: reads, from the first page of each work item, the total the
/// API reports at `path` (`pagination.matched`, `totalSize`); the check compares their sum with
/// the root rows staged. The sink hands it each parsed page (no second parse).
final class TotalCapture: Sendable {
    let path: JSONPath
    private struct Tally: Sendable {
        var seen: Set<String> = []
        var total = 0
        var missing: [String] = []
    }
    private let tally = LockedBox(Tally())

    init(path: String) { self.path = JSONPath(path) }

    /// The sum of the totals read, and the work items whose first page had no number there.
    var result: (total: Int, missing: [String]) { tally.withLock { ($0.total, $0.missing) } }

    func observe(_ document: JSONValue, item: String) {
        let value = path.evaluate(document)
        var number: Int?
        switch value?.kind {
        case .int?: number = value.map { Int($0.int) }
        case .uint?: number = value.map { Int(clamping: $0.uint) }
        case .string?: number = value.flatMap { Int($0.string) }
        default: number = nil
        }
        tally.withLock { t in
            guard t.seen.insert(item).inserted else { return }
            if let number { t.total += number } else { t.missing.append(item.isEmpty ? "(the resource)" : item) }
        }
    }
}
