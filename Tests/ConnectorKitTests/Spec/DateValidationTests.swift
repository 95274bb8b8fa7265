import CivilTime
import ConnectorKit
import Testing

/// Dates are strict: out-of-range fields or trailing text never pass as a date, in the spec
/// (file:line:column) or anywhere else a timestamp is parsed.
@Suite("Strict dates")
struct DateValidationTests {
    @Test(
        "valid dates and timestamps parse to epoch seconds",
        arguments: [
            ("1970-01-01", 0), ("2024-02-29", 1_709_164_800), ("2024-01-01T00:00:00Z", 1_704_067_200),
            ("2024-01-01T00:00:00.123Z", 1_704_067_200), ("2024-01-01 01:00:00+01:00", 1_704_067_200),
            ("2024-01-01T01:00:00+0100", 1_704_067_200), ("2023-12-31T23:00:00-01:00", 1_704_067_200),
            ("2024-01-01T00:00:00", 1_704_067_200),
        ])
    func valid(_ text: String, _ seconds: Int) {
        #expect(Timestamps.parse(text) == seconds)
    }

    @Test(
        "malformed or out-of-range dates are rejected",
        arguments: [
            "2024-13-45", "2024-13-01", "2024-00-10", "2024-01-32", "2023-02-29", "2024-04-31", "2024-01-01T24:00:00Z",
            "2024-01-01T12:60:00Z", "2024-01-01T12:00:00Zjunk", "2024/01/01", "2024-01-01T12:00", "2024-1-01",
            "2024-01-01T12:00:00+25:00", "2024-01-01T12:00:00.Z", "2024-01-01x",
        ])
    func invalid(_ text: String) {
        #expect(Timestamps.parse(text) == nil)
    }

    static func spec(partitionStart: String = "2024-01-01", initialValue: String = "2024-01-01T00:00:00Z") -> String {
        """
        sources:
          api:
            client: {base_url: "http://127.0.0.1:9"}
            resources:
              - name: events
                endpoint:
                  path: events
                  partitions:
                    window: {type: time_windows, start: "\(partitionStart)", interval: month}
                  incremental: {cursor_path: at, start_param: from, initial_value: "\(initialValue)"}
        """
    }

    @Test(
        "a spec date out of range fails with file:line:column, wherever it is read",
        arguments: [
            (spec(partitionStart: "2024-13-45"), 9, "'start' of partition 'window'"),
            (spec(initialValue: "2024-13-45"), 10, "'initial_value'"),
            (spec(initialValue: "2024-02-30T00:00:00Z"), 10, "'initial_value'"),
        ])
    func specDates(_ yaml: String, _ line: Int, _ what: String) throws {
        let error = #expect(throws: SpecError.self) {
            try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("sources.yaml:\(line):"), "\(description)")
        #expect(description.contains(what) && description.contains("2024-"), "\(description)")
    }

    @Test("a cursor that is not a date (an id) is not checked as one")
    func nonDateCursor() throws {
        _ = try SpecLoader(environment: [:]).parseSources(Self.spec(initialValue: "1000"), file: "sources.yaml")
    }
}
