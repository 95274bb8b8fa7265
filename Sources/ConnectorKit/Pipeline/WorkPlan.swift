import Foundation

/// One unit of work a run would execute: a work item of a resource (its partitions' values),
/// or, for a child resource, the work items made from the records of one parent unit (known
/// only once the parent's data is read).
public struct WorkUnit: Sendable, Equatable, Encodable {
    public let resource: String
    /// The work item's key (`window=2024-01-01T00:00:00Z`); "" for a resource with one item.
    public let key: String
    /// `resource[key]` of the parent unit whose records this child unit reads from.
    public let parentUnit: String?

    /// `resource[key]`, how the plan names a unit.
    public var name: String { "\(resource)[\(key)]" }
}

/// The units of work of one pipeline, parents before their children, without fetching data.
public struct WorkPlan: Sendable, Encodable {
    public let pipeline: String
    public let scope: String
    public let units: [WorkUnit]
    /// Resources with nothing to do, and why.
    public let notes: [String]

    /// The plan of `pipeline` (optionally only the named resources and their parents) in `scope`.
    public static func make(
        _ project: ProjectSpec, pipeline: String, resources only: [String]? = nil, scope: WorkScope = .all,
        now: Date = Date()
    ) throws -> WorkPlan {
        guard let spec = project.pipeline(named: pipeline) else {
            throw PipelineError.unknownPipeline(pipeline, known: project.pipelines.map(\.name))
        }
        guard let source = project.source(named: spec.source) else {
            throw PipelineError.unknownPipeline(spec.source, known: project.sources.map(\.name))
        }
        let selected = try PipelineRunner.selectResources(source, only: only)
        try check(scope, selected, now: now)
        var units: [WorkUnit] = []
        var notes: [String] = []
        var unitsOf: [String: [WorkUnit]] = [:]
        for resource in selected {
            let (items, skip) = PartitionExpander.expand(resource.endpoint.partitions, now: now)
            if let skip { notes.append("\(resource.name): \(skip)") }
            var made: [WorkUnit] = []
            if let parent = resource.parent, selected.contains(where: { $0.name == parent }) {
                for parentUnit in unitsOf[parent] ?? [] {
                    made += items.map { WorkUnit(resource: resource.name, key: $0.key, parentUnit: parentUnit.name) }
                }
            } else {
                made = items.filter { !scope.isPartial || scope.includes(resource, $0) }.map {
                    WorkUnit(resource: resource.name, key: $0.key, parentUnit: nil)
                }
                if made.isEmpty && skip == nil { notes.append("\(resource.name): no unit in \(scope)") }
            }
            unitsOf[resource.name] = made
            units += made
        }
        return WorkPlan(pipeline: pipeline, scope: scope.description, units: units, notes: notes)
    }

    /// Refuses what a partial scope would get wrong: a full refresh (it removes the state of
    /// units other runs own) and `replace` on a child resource whose rows come from several
    /// parent units (each run would replace the others' rows). A partitioned `replace` root
    /// replaces only its units' rows; a `replace` resource of one unit is loaded whole by the
    /// one run that owns that unit.
    static func check(_ scope: WorkScope, _ selected: [ResourceSpec], fullRefresh: Bool = false, now: Date) throws {
        guard scope.isPartial else { return }
        if fullRefresh {
            throw WorkScopeError(
                "--full-refresh cannot be combined with --shard or --partition: it would remove the state and "
                    + "rows of units other runs own; run it once without them")
        }
        let declared = Set(selected.flatMap { $0.endpoint.partitions.map(\.name) })
        for name in scope.partitions.keys where !declared.contains(name) {
            throw WorkScopeError(
                "--partition \(name)=…: no selected resource declares a partition '\(name)'; partitions: "
                    + (declared.isEmpty ? "none" : declared.sorted().joined(separator: ", ")))
        }
        // A partitioned `replace` root replaces only the rows of the units it read (`_connector_unit`);
        // a child's rows have no unit of their own, so a `replace` child of several parent units is refused.
        for resource in selected where resource.writeDisposition == .replace && resource.parent != nil {
            let root = rootAncestor(of: resource, in: selected)
            let units = PartitionExpander.expand(root.endpoint.partitions, now: now).items.count
            guard units <= 1 else {
                throw WorkScopeError(
                    "resource '\(resource.name)' has write_disposition replace and its rows come from \(units) units "
                        + "of its parent '\(root.name)': under --shard or --partition each run would replace the rows "
                        + "of the others (only a root resource replaces unit by unit). Use write_disposition: merge "
                        + "with a primary_key, or run it without them (--resource \(resource.name))")
            }
        }
    }

    static func rootAncestor(of resource: ResourceSpec, in selected: [ResourceSpec]) -> ResourceSpec {
        var current = resource
        var seen = Set([resource.name])
        while let p = current.parent, let parent = selected.first(where: { $0.name == p }), seen.insert(p).inserted {
            current = parent
        }
        return current
    }

    /// One line per unit, indented under a header; children say which parent unit they read.
    public func rendered() -> String {
        var lines = ["\(pipeline) (\(scope)): \(units.count) unit(s)"]
        for unit in units {
            let key = unit.key.isEmpty ? "(one unit)" : unit.key
            if let parent = unit.parentUnit {
                let own = unit.key.isEmpty ? "" : key + " × "
                lines.append("  \(unit.resource)  \(own)one item per record of \(parent) (known once it is read)")
            } else {
                lines.append("  \(unit.resource)  \(key)")
            }
        }
        lines += notes.map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }
}
