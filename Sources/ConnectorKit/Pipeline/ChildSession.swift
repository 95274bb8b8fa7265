/// A child resource's load session. A child starts as soon as its parent has read every record,
/// while the parent's last rows are still being written (a database round trip per table, on the
/// run's critical path when the child is the long one). So the child's writes wait here until
/// the parent's outcome is known: its checkpoints land after the parent's, as they did when it
/// started later, and when the parent fails, the child's write fails too, before it stages a row.
/// Every successful child writes at least once (its last flush), so no child succeeds under a
/// parent that failed.
struct ChildSession: WrappingSession {
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
}
