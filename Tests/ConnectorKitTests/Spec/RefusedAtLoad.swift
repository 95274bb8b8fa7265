import Testing

/// Expects `load` to refuse its spec with a message holding `part` and pointing at `location`
/// (`test.yaml:8:`): the shape every load-time refusal test shares.
func expectRefused<T>(
    _ part: String, at location: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ load: () throws -> T
) {
    do {
        _ = try load()
        Issue.record("loaded, but expected a refusal with '\(part)'", sourceLocation: sourceLocation)
    } catch {
        let text = "\(error)"
        #expect(text.contains(part), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains(location), "\(text)", sourceLocation: sourceLocation)
    }
}
