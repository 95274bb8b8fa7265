import Foundation
import Testing

/// One hostile case, one row of the table: a project (its `sources.yaml`, environment and
/// secrets file), how the servers behave, the commands run against it and what must hold.
/// `{home}` and `{other}` in the spec, the environment and the replies become the base URLs
/// of the configured server and of a second origin.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var spec: String
    var env: [String: String] = [:]
    /// `.connector/secrets.yaml`, written with mode 600 when set.
    var secretsFile: String? = nil
    /// The configured API.
    var home: Script = { _ in .json("{}") }
    /// A second origin (another port is another origin); nil: not started.
    var other: Script? = nil
    /// Values that must appear in no form (raw, escaped, percent- and form-encoded, base64)
    /// in any output, in any file of the project folder, nor in any request to `other`.
    var secrets: [String] = []
    var steps: [Step] = [Step()]
    var budget = Budget()

    var testDescription: String { name }
}

/// The limits every command of a case runs under: past the wall clock it is killed and the
/// case fails; past the memory (virtual, `ulimit -v`) its allocations fail.
struct Budget: Sendable {
    var seconds: Double = 20
    var memoryMB: Int = 2048
}

/// One command of a case and what its result must show.
struct Step: Sendable {
    /// `connector` arguments; `--project` is added.
    var arguments: [String] = ["run", "p", "--json"]
    /// The exit status; nil when the step is meant to be killed (`killWhen`).
    var exitCode: Int32? = 0
    /// Text the output (stdout and stderr) must contain.
    var outputContains: [String] = []
    /// Killed with SIGKILL as soon as this holds for the requests the servers saw.
    var killWhen: (@Sendable (_ home: [SeenRequest]) -> Bool)? = nil
    /// Further checks, given every step's result so far (this one last); returns problems.
    var check: (@Sendable ([StepResult]) -> [String])? = nil
}

/// What one command did.
struct StepResult: Sendable {
    var stdout: String
    var stderr: String
    var exitCode: Int32
    var killed: Bool
    var seconds: Double
    /// Requests each server had seen when the command ended (all steps so far).
    var home: [SeenRequest]
    var other: [SeenRequest]
    var projectDirectory: String

    var output: String { stdout + "\n" + stderr }

    /// The `--json` run report.
    var report: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }

    /// A number of the report (`requests`, `retries`, `rows`), or of one resource's row.
    func reported(_ key: String, resource: String? = nil) -> Int? {
        guard let report else { return nil }
        guard let resource else { return report[key] as? Int }
        let rows = report["resources"] as? [[String: Any]] ?? []
        return rows.first { $0["resource"] as? String == resource }?[key] as? Int
    }
}
