/// A child resource's load session. A child starts as soon as its parent has read every record,
/// while the parent's last rows are still being written (a database round trip per table, on the
/// run's critical path when the child is the long one). So the child's writes wait here until
/// the parent's outcome is known: its checkpoints land after the parent's, as they did when it
/// started later, and when the parent fails, the child's write fails too, before it stages a row.
/// Every successful child writes at least once (its last flush), so no child succeeds under a
/// parent that failed.
struct ChildSession: LoadSession {
    let base: any LoadSession
    let parent: String
    let parentOutcome: OneShot<ResourceReport.Status>

    /// The error a child's write gets when its parent did not succeed.
    struct ParentFailed: Error, CustomStringConvertible {
        let parent: String
        let status: ResourceReport.Status
        var description: String {
            "parent resource '\(parent)' \(status == .failed ? "failed" : "was skipped")"
        }
    }

    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
        let status = await parentOutcome.value()
        guard status == .succeeded else { throw ParentFailed(parent: parent, status: status) }
        try await base.write(batches, checkpoint: checkpoint)
    }

    func existingTables() async throws -> [String: [Column]] { try await base.existingTables() }
    func state(resource: String) async throws -> ResourceState { try await base.state(resource: resource) }
    func prepareStaging(fingerprint: String) async throws -> ResumePoint? {
        try await base.prepareStaging(fingerprint: fingerprint)
    }
    func stagingFinished(_ publication: ResourcePublication) async { await base.stagingFinished(publication) }
    func commit(_ load: LoadSummary) async throws { try await base.commit(load) }
    func abort() async { await base.abort() }
    func saveState(_ change: StateChange, resource: String) async throws {
        try await base.saveState(change, resource: resource)
    }
}
