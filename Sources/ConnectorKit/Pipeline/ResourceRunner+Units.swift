/// `replace` under a partial scope: a partitioned `replace` root stamps each row with its unit
/// (`_connector_unit`, the work-item key) in every run, whole or partial, so that a run of some
/// units (`--shard`, `--partition`) replaces only those units' rows (`PublishPlan.clearReplaced`).
extension ResourceRunner {
    /// A root resource written with `replace` whose rows come from partitions.
    var replacesByUnit: Bool {
        resource.parent == nil && resource.writeDisposition == .replace && !resource.endpoint.partitions.isEmpty
    }

    /// The items, each adding its key as the `_connector_unit` column when the resource replaces by unit.
    func stampingUnits(_ items: [WorkItem]) -> [WorkItem] {
        guard replacesByUnit else { return items }
        return items.map { item in
            var stamped = item
            stamped.extras.append((SystemColumn.unit, .text(item.key)))
            return stamped
        }
    }

    /// The units a partial-scope run replaces: every item it read, rows or not; nil replaces the table.
    func replacedUnits(_ items: [WorkItem]) -> [String]? {
        guard replacesByUnit, scope.isPartial else { return nil }
        return items.map(\.key)
    }
}
