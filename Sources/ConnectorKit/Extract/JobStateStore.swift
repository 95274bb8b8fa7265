/// Where export job ids are saved the moment they change, so that a rerun after a failure
/// polls the job in flight instead of spending quota on a new one. The extractor knows only
/// this; every `LoadSession` is one (its state outlives a failed run).
public protocol JobStateStore: Sendable {
    /// Stores a state change at once, outside the load's transaction: for facts that must
    /// survive a failed run, such as the id of an export job in flight (so a rerun polls it
    /// instead of spending quota on a new one).
    func saveState(_ change: StateChange, resource: String) async throws
}
