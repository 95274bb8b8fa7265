import Testing

/// Hostile servers and specs, one row each (see `HostileCases`): the real binary, a budget of
/// time and memory, and what must hold — exit status, messages, no secret anywhere.
@Suite("Hostile servers and specs")
struct HostileTests {
    @Test("hostile case", arguments: HostileCases.all)
    func hostile(_ row: HostileCase) async throws {
        let problems = try await HostileRunner(row: row).run()
        #expect(problems.isEmpty, Comment(rawValue: "\(row.name):\n" + problems.joined(separator: "\n")))
    }
}
