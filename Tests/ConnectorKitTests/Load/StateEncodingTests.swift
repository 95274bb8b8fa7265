import ConnectorKit
import Testing

/// Every destination stores a resource's state in one form, the one earlier versions wrote:
/// what is stored must read back typed, and what is typed must store in that form.
@Suite("Resource state as stored entries")
struct StateEncodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let stored: String
        let key: StateKey
        var testDescription: String { stored }
    }

    static let cases = [
        Case(stored: "cursor", key: .cursor("")),
        Case(stored: "cursor:region=eu,quarter=2026_Q1", key: .cursor("region=eu,quarter=2026_Q1")),
        Case(stored: "job", key: .job("")),
        Case(stored: "job:forecast_id=1001", key: .job("forecast_id=1001")),
        Case(stored: "job:a=b:c", key: .job("a=b:c")),
        Case(stored: "cursors", key: .unrecognized("cursors")),
        Case(stored: "jobs:x", key: .unrecognized("jobs:x")),
    ]

    @Test("a stored key reads as its entry and writes back unchanged", arguments: cases)
    func keys(_ c: Case) {
        #expect(StateEncoding.stateKey(c.stored) == c.key)
        #expect(StateEncoding.key(c.key) == c.stored)
    }

    @Test("stored entries read as typed state and store back sorted, unknown entries kept")
    func roundTrip() {
        let stored = [
            (key: "job:forecast_id=1001", value: "job-000007"), (key: "cursor", value: "2026-01-01T00:00:00Z"),
            (key: "cursor:region=eu", value: "17"), (key: "legacy", value: "x"),
        ]
        let state = StateEncoding.decode(stored)
        #expect(
            state
                == ResourceState(
                    cursors: ["": "2026-01-01T00:00:00Z", "region=eu": "17"],
                    jobs: ["forecast_id=1001": "job-000007"], unrecognized: ["legacy": "x"]))
        let back = StateEncoding.entries(state)
        #expect(back.map(\.key) == ["cursor", "cursor:region=eu", "job:forecast_id=1001", "legacy"])
        #expect(back.map(\.value) == ["2026-01-01T00:00:00Z", "17", "job-000007", "x"])
    }

    @Test("a change stores its entries, then removes its keys, typed and as stored alike")
    func change() {
        var entries = ["cursor:a": "1", "job:a": "j1", "legacy": "x"]
        let change = StateChange(
            updates: ResourceState(cursors: ["a": "2", "b": "5"]), removals: [.job("a"), .unrecognized("legacy")])
        change.apply(to: &entries)
        #expect(entries == ["cursor:a": "2", "cursor:b": "5"])
        let typed = StateEncoding.decode(["cursor:a": "1", "job:a": "j1", "legacy": "x"].map { ($0.key, $0.value) })
            .applying(change)
        #expect(typed == StateEncoding.decode(entries.map { ($0.key, $0.value) }))
        #expect(StateChange.forgettingJob(of: "k=1").storedRemovals == ["job:k=1"])
        #expect(StateChange.job("j9", for: "").storedEntries.map(\.key) == ["job"])
    }

    @Test("a load publishes only the resources whose report says succeeded")
    func publicationsOfSucceededOnly() {
        let reports = [
            ResourceReport(resource: "a", status: .failed), ResourceReport(resource: "b", status: .succeeded),
            ResourceReport(resource: "c", status: .skipped),
        ]
        let summary = LoadSummary(
            loadId: "L", pipeline: "p", startedAt: "s", finishedAt: "f", reports: reports,
            publications: ["c", "b", "a"].map { ResourcePublication(resource: $0) })
        #expect(summary.publications.map(\.resource) == ["b"])
        #expect(summary.status == "partial")
    }
}
