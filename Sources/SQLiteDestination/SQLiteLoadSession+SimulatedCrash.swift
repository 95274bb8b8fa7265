@_spi(Testing) import ConnectorKit

/// Test support: a load that ends as a killed process does.
extension SQLiteLoadSession: SimulatedCrash {
    /// The scratch database and its checkpoints stay; the lock goes, as the kernel drops it.
    func simulateCrash() {
        forgetStatements()
        finished = true
        lock.release()
    }
}
