import ArgumentParser
import ConnectorKit
import Foundation

/// `connector init NAME`: adds a commented source and a pipeline of the same name to
/// sources.yaml (creating the file when there is none), checked with the spec reader before
/// it is kept — a file it cannot extend cleanly is left as it was.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Scaffold a commented source and its pipeline in sources.yaml.")
    @OptionGroup var options: ProjectOptions
    @Argument(help: "Name of the new source and pipeline (letters, digits, _).")
    var name: String
    @Option(help: "Draft the source from this OpenAPI 3.0 or 3.1 document (YAML or JSON) instead of a scaffold.")
    var openapi: String?
    @Option(help: "With --openapi: base URL to use instead of the document's first server.") var baseUrl: String?
    @Option(help: "With --openapi: only operations whose path matches this regular expression.") var include: String?
    @Option(help: "With --openapi: leave out operations whose path matches this regular expression.")
    var exclude: String?
    @Flag(help: "With --openapi: print the source instead of adding it to sources.yaml.") var stdout = false

    func validate() throws {
        guard let first = name.first, first.isLetter || first == "_",
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { throw ValidationError("'\(name)' is not a name: use letters, digits and _, starting with a letter") }
        if openapi == nil && (baseUrl != nil || include != nil || exclude != nil || stdout) {
            throw ValidationError("--base-url, --include, --exclude and --stdout go with --openapi FILE")
        }
    }

    func run() async throws {
        if let openapi {
            return try await InitFromOpenAPI(
                options: options, name: name, openapi: openapi, baseUrl: baseUrl, include: include,
                exclude: exclude, stdout: stdout
            ).run()
        }
        let path = options.directory + "/sources.yaml"
        let before = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        let after = try SourceScaffold(name: name).inserted(into: before)
        try after.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let project = try options.load()
            guard project.source(named: name) != nil else { throw ValidationError("the new source did not load") }
        } catch {
            if let before {
                try before.write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                try? FileManager.default.removeItem(atPath: path)
            }
            ProgressPrinter.err("could not add source '\(name)' to \(path) (left as it was): \(error)")
            throw ExitCode(2)
        }
        print("added source '\(name)' and pipeline '\(name)' to \(path); fill in base_url and the resource, then:")
        print("  connector validate\n  connector run \(name) --dry-run")
    }
}

/// The text `init` adds: a source with one resource, every line a reader needs commented.
struct SourceScaffold {
    let name: String

    var source: String {
        let variable = name.uppercased()
        return """
              # \(name): scaffolded by `connector init \(name)`. Keys: docs/reference.md.
              \(name):
                client:
                  base_url: "${\(variable)_BASE_URL:-https://api.example.com/v1}"
                  # Credentials come from the environment or .connector/secrets.yaml, never from here:
                  # auth: {type: bearer, token: "${\(variable)_TOKEN}"}
                  # auth: {type: api_key, location: header, name: X-Api-Key, api_key: "${\(variable)_KEY}"}
                  # rate_limit: {requests_per_second: 5}
                  paginator: auto            # or offset, page_number, cursor, json_link, header_link, single_page
                resource_defaults:
                  write_disposition: merge   # merge on primary_key; or append, replace
                resources:
                  - name: items              # the table's name
                    primary_key: [id]
                    endpoint:
                      path: items            # appended to base_url
                      # data_selector: data  # where the records are in the answer (default: found)
                      # params: {status: active}
                      # incremental: {cursor_path: updated_at, start_param: updated_since, initial_value: "2024-01-01T00:00:00Z"}

            """
    }

    var pipeline: String { "  \(name): {source: \(name)}\n" }

    /// `existing` with the source after its `sources:` line and the pipeline after its
    /// `pipelines:` line (each added when missing); a new file when nil.
    func inserted(into existing: String?) throws -> String {
        guard let existing, !existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return "# yaml-language-server: $schema=docs/sources.schema.json\n\nsources:\n" + source
                + "pipelines:\n" + pipeline
        }
        var lines = existing.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        for (key, block) in [("sources:", source), ("pipelines:", pipeline)] {
            let added = block.components(separatedBy: "\n").dropLast()
            if let at = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == key && !$0.hasPrefix(" ") }
            ) {
                lines.insert(contentsOf: added, at: at + 1)
            } else {
                lines += [key] + added
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
