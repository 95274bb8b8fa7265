/// The one stored form of state, shared by every destination: one text entry per cursor and
/// per job, keyed `cursor` / `cursor:<work item key>` / `job` / `job:<work item key>`. It is
/// the form every earlier version wrote as plain key/value pairs, so existing
/// `_connector_state` rows (and `_state.json` files) read unchanged.
public enum StateEncoding {
    public static func key(_ key: StateKey) -> String {
        switch key {
        case .cursor(let item): return item.rawValue.isEmpty ? "cursor" : "cursor:" + item.rawValue
        case .job(let item): return item.rawValue.isEmpty ? "job" : "job:" + item.rawValue
        case .unrecognized(let text): return text
        }
    }

    public static func stateKey(_ text: String) -> StateKey {
        if let item = item(of: text, kind: "cursor") { return .cursor(item) }
        if let item = item(of: text, kind: "job") { return .job(item) }
        return .unrecognized(text)
    }

    private static func item(of text: String, kind: String) -> WorkItemKey? {
        if text == kind { return WorkItemKey("") }
        guard text.hasPrefix(kind + ":") else { return nil }
        return WorkItemKey(String(text.dropFirst(kind.count + 1)))
    }

    /// A resource's state from its stored entries.
    public static func decode(_ entries: [(key: String, value: String)]) -> ResourceState {
        var state = ResourceState()
        for (text, value) in entries {
            switch stateKey(text) {
            case .cursor(let item): state.cursors[item] = value
            case .job(let item): state.jobs[item] = JobId(value)
            case .unrecognized(let text): state.unrecognized[text] = value
            }
        }
        return state
    }

    /// A resource's state from query rows of (key, value) text; a row with a null cell is skipped.
    public static func decode(rows: [[String?]]) -> ResourceState {
        decode(
            rows.compactMap { row in
                guard row.count == 2, let key = row[0], let value = row[1] else { return nil }
                return (key: key, value: value)
            })
    }

    /// A resource's state as stored entries, sorted by key.
    public static func entries(_ state: ResourceState) -> [(key: String, value: String)] {
        let entries =
            state.cursors.map { (key(.cursor($0.key)), $0.value) }
            + state.jobs.map { (key(.job($0.key)), $0.value.rawValue) }
            + state.unrecognized.map { ($0.key, $0.value) }
        return entries.sorted { $0.0 < $1.0 }.map { (key: $0.0, value: $0.1) }
    }
}

extension StateChange {
    /// Entries to store, sorted by key, as stored.
    public var storedEntries: [(key: String, value: String)] { StateEncoding.entries(updates) }
    /// Keys of the entries to remove, as stored.
    public var storedRemovals: [String] { removals.map(StateEncoding.key) }

    /// Applies the change to a resource's stored entries, for destinations that keep them in
    /// a dictionary.
    public func apply(to entries: inout [String: String]) {
        for (key, value) in storedEntries { entries[key] = value }
        for key in storedRemovals { entries[key] = nil }
    }
}
