/// Export jobs an earlier run left in flight (their ids are in the resource's state), sorted
/// out before any job is created: each is adopted by its work item, which runs first; one
/// whose item an interrupted run already staged is forgotten; one that no item of this run
/// has (the partitions moved on) is waited for and forgotten. Adopted jobs hold job slots
/// from the start, since the API counts them against its concurrency limit.
struct JobAdoption {
    /// The items in the order they start: those with an adopted job first.
    var items: [WorkItem]
    /// State keys of every adopted job, orphans included.
    var adopted: Set<String>
    /// Jobs of items this run does not have: state key and job id.
    var orphans: [(key: String, jobId: String)]
    /// State keys of jobs whose item was already staged completely.
    var finished: [String]

    init(items: [WorkItem], state: [String: String], resumed: ResumedResource?) {
        var first: [WorkItem] = [], rest: [WorkItem] = []
        adopted = []
        finished = []
        for item in items {
            let key = AsyncJobRunner.stateKey(item)
            if state[key] == nil || adopted.contains(key) {
                rest.append(item)
            } else if resumed?.items[item.key] == .done {
                if !finished.contains(key) { finished.append(key) }
                rest.append(item)
            } else {
                adopted.insert(key)
                first.append(item)
            }
        }
        self.items = first + rest
        let known = Set(items.map(AsyncJobRunner.stateKey))
        orphans = state.filter { AsyncJobRunner.isStateKey($0.key) && !known.contains($0.key) }
            .sorted { $0.key < $1.key }.map { (key: $0.key, jobId: $0.value) }
        adopted.formUnion(orphans.map(\.key))
    }
}
