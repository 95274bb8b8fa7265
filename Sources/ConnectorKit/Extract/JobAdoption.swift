/// Export jobs an earlier run left in flight (their ids are in the resource's state), sorted
/// out before any job is created: each is adopted by its work item, which runs first; one
/// whose item an interrupted run already staged is forgotten; one that no item of this run
/// has (the partitions moved on) is waited for and forgotten. Adopted jobs hold job slots
/// from the start, since the API counts them against its concurrency limit.
struct JobAdoption {
    /// The items in the order they start: those with an adopted job first.
    var items: [WorkItem]
    /// Work items of every adopted job, orphans included.
    var adopted: Set<WorkItemKey>
    /// Jobs of items this run does not have: work item and job id.
    var orphans: [(key: WorkItemKey, jobId: JobId)]
    /// Work items whose job's result was already staged completely.
    var finished: [WorkItemKey]

    init(items: [WorkItem], state: ResourceState, resumed: [String: ItemProgress]) {
        var first: [WorkItem] = [], rest: [WorkItem] = []
        adopted = []
        finished = []
        for item in items {
            let key = WorkItemKey(item.key)
            if state.jobs[key] == nil || adopted.contains(key) {
                rest.append(item)
            } else if resumed[item.key] == .done {
                if !finished.contains(key) { finished.append(key) }
                rest.append(item)
            } else {
                adopted.insert(key)
                first.append(item)
            }
        }
        self.items = first + rest
        let known = Set(items.map { WorkItemKey($0.key) })
        orphans = state.jobs.filter { !known.contains($0.key) }
            .sorted { $0.key < $1.key }.map { (key: $0.key, jobId: $0.value) }
        adopted.formUnion(orphans.map(\.key))
    }
}
