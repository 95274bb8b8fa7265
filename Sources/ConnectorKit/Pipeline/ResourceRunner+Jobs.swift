/// Export jobs an earlier run left in flight, dealt with before the resource creates any.
extension ResourceRunner {
    /// Sorts out the stored jobs (see `JobAdoption`): forgets those whose rows are already
    /// staged and puts the items of adopted jobs first. Nil for resources without jobs.
    func adoptJobs(
        _ items: inout [WorkItem], state: inout ResourceState,
        notes: inout [String]
    ) async throws -> JobAdoption? {
        guard resource.asyncJob != nil else { return nil }
        let plan = JobAdoption(items: items, state: state, resumed: resumed?.items ?? [:])
        for key in plan.finished {
            try await session.saveState(.forgettingJob(of: key), resource: resource.name)
            state.jobs[key] = nil
        }
        if !plan.adopted.isEmpty {
            notes.append("adopted \(plan.adopted.count) export job(s) an earlier run left in flight")
        }
        items = plan.items
        return plan
    }

    /// Waits, all at once, for the jobs of items this run does not have: they hold slots until they end.
    func settle(
        _ orphans: [(key: WorkItemKey, jobId: JobId)], auth: any Authenticator, state: ResourceState,
        slots: JobSlots
    ) async throws -> [String] {
        guard let job = resource.asyncJob, !orphans.isEmpty else { return [] }
        let runner = AsyncJobRunner(
            spec: job, resource: resource, client: client, auth: auth, session: session,
            storedState: state, slots: slots)
        return try await withThrowingTaskGroup(of: String.self) { group in
            for orphan in orphans { group.addTask { try await runner.settle(orphan: orphan.key, jobId: orphan.jobId) } }
            var notes: [String] = []
            for try await note in group { notes.append(note) }
            return notes.sorted()
        }
    }
}
