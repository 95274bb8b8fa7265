import Foundation

/// Which units of work a run executes: all of them, one shard's share, or the units of chosen
/// partitions. A unit is a root resource's work item (one combination of its partitions); the
/// children read for a unit's records go with it, so they are never filtered themselves.
public struct WorkScope: Sendable, Equatable, CustomStringConvertible {
    /// Only the units this shard owns.
    public var shard: Shard?
    /// Only the units whose partition `name` has `value`, for every pair (resources that do not
    /// declare the partition have no such unit).
    public var partitions: [String: String]

    public init(shard: Shard? = nil, partitions: [String: String] = [:]) {
        self.shard = shard
        self.partitions = partitions
    }

    /// Every unit.
    public static let all = WorkScope()

    /// True when the run leaves some units to other runs.
    public var isPartial: Bool { shard != nil || !partitions.isEmpty }

    /// Whether the unit `item` of the root resource `resource` is in scope.
    public func includes(_ resource: ResourceSpec, _ item: WorkItem) -> Bool {
        if let shard, !shard.owns(resource: resource.name, key: item.key) { return false }
        for (name, value) in partitions {
            guard resource.endpoint.partitions.contains(where: { $0.name == name }),
                item.placeholders[name] == value
            else { return false }
        }
        return true
    }

    /// A short name for the scope, safe in identifiers (`s2of4`, `p` and a hash); "" for all.
    public var lane: String {
        var parts: [String] = []
        if let shard { parts.append("s\(shard.index)of\(shard.count)") }
        if !partitions.isEmpty {
            let text = partitions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            parts.append("p" + StableID.make(text).prefix(8))
        }
        return parts.joined(separator: "_")
    }

    public var description: String {
        var parts: [String] = []
        if let shard { parts.append("shard \(shard)") }
        for (name, value) in partitions.sorted(by: { $0.key < $1.key }) { parts.append("partition \(name)=\(value)") }
        return parts.isEmpty ? "all units" : parts.joined(separator: ", ")
    }
}

/// Shard `index` of `count` (0-based): owns the units whose stable hash of resource and key is
/// `index` modulo `count`. The hash depends on the unit alone, so the share does not change
/// when units are listed, added or read in another order.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= 10_000, index >= 0, index < count else {
            throw WorkScopeError("--shard \(index)/\(count): expected I/N with 0 ≤ I < N and 1 ≤ N ≤ 10000")
        }
        self.index = index
        self.count = count
    }

    /// `I/N`; I may name an environment variable holding the index (`JOB_COMPLETION_INDEX/4`).
    public static func parse(_ text: String, environment: [String: String]) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let count = Int(parts[1]) else {
            throw WorkScopeError("--shard '\(text)': expected I/N, for example 2/4 or JOB_COMPLETION_INDEX/4")
        }
        if let index = Int(parts[0]) { return try Shard(index: index, count: count) }
        guard let value = environment[parts[0]], let index = Int(value) else {
            throw WorkScopeError(
                "--shard '\(text)': '\(parts[0])' is neither a number nor an environment variable holding one")
        }
        return try Shard(index: index, count: count)
    }

    public func owns(resource: String, key: String) -> Bool {
        // `StableID` is the same on every machine and in every process (unlike Swift's `Hasher`).
        let hash = UInt64(StableID.make(resource, key), radix: 16) ?? 0
        return Int(hash % UInt64(count)) == index
    }

    public var description: String { "\(index)/\(count)" }
}

/// A scope that cannot be run as asked (bad `--shard`, `--partition`, or what it would break).
public struct WorkScopeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
