import ArgumentParser
import ConnectorKit
import Foundation

/// `--shard` and `--partition`: which units of work a run (or a plan) covers, so that many
/// processes on many hosts share one pipeline (docs/scale-out.md).
struct ScaleOutOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run only shard I of N (0 ≤ I < N), e.g. 2/4 or $(JOB_COMPLETION_INDEX)/4; I may name an environment "
                + "variable holding it (JOB_COMPLETION_INDEX/4).", valueName: "I/N"))
    var shard: String?
    @Option(
        name: .customLong("partition"),
        help: ArgumentHelp("Run only the units whose partition KEY has VALUE (repeatable).", valueName: "KEY=VALUE"))
    var partitions: [String] = []

    func scope() throws -> WorkScope {
        do {
            let shard = try self.shard.map { try Shard.parse($0, environment: ProcessInfo.processInfo.environment) }
            return WorkScope(shard: shard, partitions: try Assignments.parse(partitions, flag: "--partition"))
        } catch let error as WorkScopeError {
            throw ValidationError(error.description)
        }
    }
}

/// `--dataset` and `--var`: one sources.yaml serving many tenants, each run loading its own
/// dataset with its own variables (credentials come from each run's environment).
struct TenantOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Load into this dataset instead of the destination's own: the PostgreSQL schema, or the SQLite file "
                + "(or files folder) NAME beside the configured one.", valueName: "NAME"))
    var dataset: String?
    @Option(
        name: .customLong("var"),
        help: ArgumentHelp(
            "Set the sources.yaml variable KEY for this run (repeatable; wins over the environment).",
            valueName: "KEY=VALUE"))
    var variables: [String] = []

    func overrides() throws -> [String: String] {
        do { return try Assignments.parse(variables, flag: "--var") } catch let error as WorkScopeError {
            throw ValidationError(error.description)
        }
    }

    func datasetName() throws -> String? { try DatasetName.checked(dataset) }
}

/// A `--dataset` value, checked: letters, digits and `_`, starting with a letter (a schema and
/// a file name everywhere, never a path).
enum DatasetName {
    static func checked(_ dataset: String?) throws -> String? {
        guard let dataset else { return nil }
        let valid =
            dataset.count <= 48 && dataset.first.map(\.isLetter) == true
            && dataset.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard valid else {
            throw ValidationError(
                "--dataset '\(dataset)': use 1 to 48 ASCII letters, digits or '_', starting with a letter")
        }
        return dataset
    }
}

/// `KEY=VALUE` arguments of a repeatable flag.
enum Assignments {
    static func parse(_ texts: [String], flag: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for text in texts {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw WorkScopeError("\(flag) '\(text)': expected KEY=VALUE")
            }
            let key = String(text[..<eq])
            guard out[key] == nil else { throw WorkScopeError("\(flag) \(key) is given twice") }
            out[key] = String(text[text.index(after: eq)...])
        }
        return out
    }
}
