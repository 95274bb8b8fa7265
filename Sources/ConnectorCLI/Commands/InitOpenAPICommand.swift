import ArgumentParser
import ConnectorKit
import Foundation
import OpenAPIImport

/// `connector init NAME --openapi FILE`: drafts a commented source from an OpenAPI 3.0/3.1 document,
/// adds it to sources.yaml (or prints it), then runs the checks of `validate` on the result.
/// `InitCommand` runs it when `--openapi` is given.
struct InitFromOpenAPI {
    let options: ProjectOptions
    let name: String
    let openapi: String
    let baseUrl: String?
    let include: String?
    let exclude: String?
    let stdout: Bool

    func run() async throws {
        do {
            let text = try String(contentsOfFile: openapi, encoding: .utf8)
            let origin = (openapi as NSString).lastPathComponent
            let draft = try OpenAPIImporter.draft(
                name: name, text: text, file: origin,
                options: .init(baseURL: baseUrl, include: include, exclude: exclude))
            if stdout {
                let yaml = OpenAPIImporter.yaml(draft, origin: origin)
                _ = try SpecLoader(environment: [:]).parseSources(yaml, file: "\(name) (drafted)")
                print(yaml, terminator: "")
            } else {
                try SourcesFileInsertion(directory: options.directory)
                    .insert(OpenAPIImporter.block(draft, origin: origin), name: name) { try options.load() }
                print("added source \(name) to \(options.directory)/sources.yaml")
            }
            ProgressPrinter.err(
                "drafted \(draft.resources.count) resources, \(draft.candidates.count) candidates, "
                    + "\(draft.notes.count) notes; variables: \(draft.variables.map(\.name).joined(separator: ", "))")
        } catch let error as OpenAPIImportError {
            ProgressPrinter.err("error: \(error.description)")
            throw ExitCode(2)
        } catch let error as SpecError {
            ProgressPrinter.err("error: the drafted source does not validate: \(error.description)")
            throw ExitCode(2)
        } catch let error as SourcesFileInsertion.Refused {
            ProgressPrinter.err("error: \(error.description)")
            throw ExitCode(2)
        } catch let error as CocoaError {
            ProgressPrinter.err("error: \(openapi): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}
