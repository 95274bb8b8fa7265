/// Test support, apart from the production protocols (imported with `@_spi(Testing)`): a load
/// session that can end the way a killed process does, so that the conformance suite checks
/// that the next run resumes it. The engine never calls it.
@_spi(Testing) public protocol SimulatedCrash: LoadSession {
    /// Ends the session as a killed process would: staged rows and checkpoints stay, locks and
    /// connections go; neither commit nor abort runs.
    func simulateCrash() async
}
