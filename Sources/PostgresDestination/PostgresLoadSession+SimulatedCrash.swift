@_spi(Testing) import ConnectorKit

/// Test support: a load that ends as a killed process does.
extension PostgresLoadSession: SimulatedCrash {
    /// The connection goes (and the advisory lock with it); the staging schema stays.
    func simulateCrash() async {
        guard !finished else { return }
        finished = true
        await closeEarlyIndexes()
        try? await connection.close()
    }
}
