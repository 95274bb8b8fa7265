import ConnectorKit
import Testing

/// A note repeated for many work items (one ignored 404 per call) is one line in the report,
/// with its count and a few examples; fewer repeats stay as they are.
@Suite("Repeated notes")
struct RepeatedNotesTests {
    static let cases: [(name: String, notes: [String], folded: [String])] = [
        (
            "ten ignored 404s fold into one line with three examples",
            (1...10).map { "id=\($0): HTTP 404 ignored as declared" },
            ["HTTP 404 ignored as declared: 10 times (e.g. id=1, id=2, id=3)"]
        ),
        (
            "three repeats stay one line each",
            (1...3).map { "id=\($0): HTTP 404 ignored as declared" },
            (1...3).map { "id=\($0): HTTP 404 ignored as declared" }
        ),
        (
            "different notes keep their order; only the repeated one folds",
            ["resumed the interrupted load: 3 page(s)"] + (1...5).map { "k=\($0): HTTP 410 ignored as declared" }
                + ["window ended early"],
            [
                "resumed the interrupted load: 3 page(s)",
                "HTTP 410 ignored as declared: 5 times (e.g. k=1, k=2, k=3)", "window ended early",
            ]
        ),
        (
            "unlabelled repeats fold with a count only",
            Array(repeating: "HTTP 404 ignored as declared", count: 4), ["HTTP 404 ignored as declared: 4 times"]
        ),
    ]

    @Test("notes fold", arguments: cases)
    func fold(_ row: (name: String, notes: [String], folded: [String])) {
        #expect(RepeatedNotes.fold(row.notes) == row.folded, Comment(rawValue: row.name))
    }
}
