/// The incremental cursor of each work item: the greatest value (`CursorValue` order, by
/// instant in a declared `cursor_format`) at the resource's `cursor_path` among the records
/// read so far, saved with every checkpoint and published as the next run's starting point.
/// It also says which records load: one at or past `end_value` does not, nor one without a
/// cursor when `on_cursor_value_missing` is `exclude`; each left out is counted for the report.
struct CursorTracker {
    /// Nil for a resource that is not incremental: nothing is tracked.
    let path: JSONPath?
    private let spec: IncrementalSpec?
    private let endValue: String?
    /// Work item key → greatest cursor seen, but for the item of the last record (`recent`).
    private var earlier: [String: String]
    /// The last record's item and its greatest cursor: records come item by item, so most
    /// records compare with this one instead of looking their item up (and storing) by key.
    private var recent: (key: String, value: String)?
    /// Work item key → greatest cursor seen.
    var cursors: [String: String] {
        var all = earlier
        if let recent { all[recent.key] = recent.value }
        return all
    }
    /// Records left out because their cursor is at or past `end_value`.
    private(set) var pastEnd = 0
    /// Records left out because they have no cursor (`on_cursor_value_missing: exclude`).
    private(set) var withoutCursor = 0

    /// A record whose cursor makes the resource fail.
    struct Problem: Error {
        let message: String
    }

    init(resource: ResourceSpec, resumed: [String: String] = [:]) {
        spec = resource.endpoint.incremental
        path = spec.map { JSONPath($0.cursorPath) }
        endValue = spec?.endValue.flatMap { $0.isSet ? $0.value : nil }
        earlier = resumed
    }

    /// Takes the record's cursor into account for its work item; true when the record loads.
    mutating func observe(_ record: JSONValue, item key: String) throws(Problem) -> Bool {
        guard let path, let spec else { return true }
        guard let value = path.evaluate(record)?.scalarText else {
            switch spec.onCursorValueMissing {
            case .include: return true
            case .exclude:
                withoutCursor += 1
                return false
            case .raise:
                throw Problem(
                    message: "a record has no value at cursor_path '\(spec.cursorPath)' "
                        + "(on_cursor_value_missing: raise; 'include' loads such records, 'exclude' leaves them out)")
            }
        }
        if let format = spec.cursorFormat, format.parse(value) == nil {
            throw Problem(
                message: "cursor value '\(value)' at '\(spec.cursorPath)' is not written in its cursor_format")
        }
        if let endValue, !CursorValue.isGreater(endValue, than: value, format: spec.cursorFormat) {
            pastEnd += 1
            return false
        }
        if let recent, recent.key == key {
            if CursorValue.isGreater(value, than: recent.value, format: spec.cursorFormat) {
                self.recent = (key, value)
            }
            return true
        }
        if let recent { earlier[recent.key] = recent.value }
        let current = earlier.removeValue(forKey: key)
        let greater = current.map { CursorValue.isGreater(value, than: $0, format: spec.cursorFormat) } ?? true
        recent = (key, greater ? value : current ?? value)
        return true
    }

    /// What the run report says about records left out, if any.
    var notes: [String] {
        var notes: [String] = []
        if pastEnd > 0, let endValue {
            notes.append("\(pastEnd) record(s) at or past incremental end_value \(endValue) not loaded")
        }
        if withoutCursor > 0 {
            notes.append("\(withoutCursor) record(s) without a cursor value excluded (on_cursor_value_missing)")
        }
        return notes
    }
}
