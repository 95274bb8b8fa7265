/// A load session that wraps another to change one thing (`CheckedSession` watches the staged
/// rows, `ChildSession` holds writes until the parent's outcome): all it does not change goes to
/// `base` as it is.
protocol WrappingSession: LoadSession {
    var base: any LoadSession { get }
}

extension WrappingSession {
    func existingTables() async throws -> [String: [Column]] { try await base.existingTables() }
    func state(resource: String) async throws -> ResourceState { try await base.state(resource: resource) }
    func prepareStaging(fingerprint: String) async throws -> ResumePoint? {
        try await base.prepareStaging(fingerprint: fingerprint)
    }
    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
        try await base.write(batches, checkpoint: checkpoint)
    }
    func stagingFinished(_ publication: ResourcePublication) async { await base.stagingFinished(publication) }
    func commit(_ load: LoadSummary) async throws { try await base.commit(load) }
    func abort() async { await base.abort() }
    func saveState(_ change: StateChange, resource: String) async throws {
        try await base.saveState(change, resource: resource)
    }
}
