/// Identifies a work item within its resource — `report_id=1001,quarter=2026_Q1`, the
/// partitions (and parent values) it stands for; empty for a resource with a single item.
/// A resource's state is kept per work item.
public struct WorkItemKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (a: WorkItemKey, b: WorkItemKey) -> Bool { a.rawValue < b.rawValue }
}

/// The API's id of an export job (async_job).
public struct JobId: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
}

/// What a destination keeps for a resource between runs: the highest incremental cursor per
/// work item (as text, ordered by `CursorValue`), and the export jobs an earlier run left in
/// flight. Stored by every destination in one form (`StateEncoding`).
public struct ResourceState: Sendable, Equatable {
    public var cursors: [WorkItemKey: String]
    public var jobs: [WorkItemKey: JobId]
    /// Stored entries this version does not know, kept as they are; a full refresh removes them.
    public var unrecognized: [String: String]

    public init(
        cursors: [WorkItemKey: String] = [:], jobs: [WorkItemKey: JobId] = [:],
        unrecognized: [String: String] = [:]
    ) {
        self.cursors = cursors
        self.jobs = jobs
        self.unrecognized = unrecognized
    }

    /// Every entry's key, in stored order.
    public var keys: [StateKey] {
        (cursors.keys.map(StateKey.cursor) + jobs.keys.map(StateKey.job) + unrecognized.keys.map(StateKey.unrecognized))
            .sorted { StateEncoding.key($0) < StateEncoding.key($1) }
    }

    public var isEmpty: Bool { cursors.isEmpty && jobs.isEmpty && unrecognized.isEmpty }

    /// The state once `change` is stored.
    public func applying(_ change: StateChange) -> ResourceState {
        var state = self
        state.cursors.merge(change.updates.cursors) { _, new in new }
        state.jobs.merge(change.updates.jobs) { _, new in new }
        state.unrecognized.merge(change.updates.unrecognized) { _, new in new }
        for key in change.removals {
            switch key {
            case .cursor(let item): state.cursors[item] = nil
            case .job(let item): state.jobs[item] = nil
            case .unrecognized(let text): state.unrecognized[text] = nil
            }
        }
        return state
    }
}

/// One entry of a resource's state.
public enum StateKey: Hashable, Sendable {
    case cursor(WorkItemKey)
    case job(WorkItemKey)
    case unrecognized(String)
}

/// A change to a resource's stored state: entries to store (replacing those with the same
/// key), then entries to remove.
public struct StateChange: Sendable, Equatable {
    /// Entries to store.
    public var updates: ResourceState
    /// Entries to remove.
    public var removals: [StateKey]

    public init(updates: ResourceState = ResourceState(), removals: [StateKey] = []) {
        self.updates = updates
        self.removals = removals
    }

    /// Remembers the export job in flight for a work item.
    public static func job(_ id: JobId, for item: WorkItemKey) -> StateChange {
        StateChange(updates: ResourceState(jobs: [item: id]))
    }

    /// Forgets the export job of a work item (its result is staged, or it is over).
    public static func forgettingJob(of item: WorkItemKey) -> StateChange {
        StateChange(removals: [.job(item)])
    }

    public var isEmpty: Bool { updates.isEmpty && removals.isEmpty }
}
