import ArgumentParser
import ConnectorKit
import Foundation

/// `connector checks <pipeline>`: the data checks of recent loads, newest first.
struct ChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks", abstract: "Results of the data checks (checks:) of each load and resource.")
    @OptionGroup var options: DatasetOptions
    @Option(help: "How many loads, newest first.") var limit: Int = 20

    func run() async throws {
        let (dataset, _) = try await options.open()
        let r = try await dataset.query(
            "SELECT load_id, finished_at, details FROM \(BookkeepingTable.loads) ORDER BY finished_at DESC LIMIT \(max(1, limit))"
        )
        await dataset.close()
        var rows: [[String]] = [["load_id", "finished_at", "resource", "check", "severity", "result", "detail"]]
        for row in r.rows {
            let text = row[2] ?? "[]"
            let details = (try? JSONDecoder().decode([LoadDetails.ResourceDetail].self, from: Data(text.utf8))) ?? []
            for detail in details {
                for check in detail.checks ?? [] {
                    rows.append([
                        row[0] ?? "", row[1] ?? "", detail.resource, check.check, check.severity,
                        check.passed ? "passed" : "FAILED", check.detail,
                    ])
                }
            }
        }
        if rows.count == 1 {
            print(
                "no data checks in the last \(r.rows.count) load(s) of \(options.pipeline); declare them under checks:")
        } else {
            print(TextTable.render(rows))
        }
    }
}
