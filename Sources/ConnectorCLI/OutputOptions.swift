import ArgumentParser
import ConnectorKit
import Logging

/// A swift-log level as the command line names it.
enum LogLevelName: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical
    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

/// How a run shows what it does: progress on standard error (`--progress-interval`), and a
/// log (`--log-level`, `--log-file`).
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds between progress lines when standard error is not a terminal (a terminal gets a status block).",
            valueName: "seconds"))
    var progressInterval: Double = 2
    @Option(
        help: ArgumentHelp(
            "Log from this level on: trace, debug, info (each request), notice, warning, error, critical. "
                + "Without --log-file the log goes to standard error.", valueName: "level"))
    var logLevel: LogLevelName?
    @Option(
        help: ArgumentHelp(
            "Append the log to this file as JSON lines (requests: method, redacted URL, status, ms, attempt; "
                + "resource events). Level: --log-level, else info.", valueName: "path"))
    var logFile: String?

    /// The run's logger, or nil when neither option was given. Lines are redacted with every
    /// secret of `project` (the engine redacts what it logs already).
    func logger(project: ProjectSpec, printer: ProgressPrinter) throws -> Logger? {
        guard logFile != nil || logLevel != nil else { return nil }
        let sink = try logFile.map(LogSink.file) ?? LogSink { printer.say($0) }
        var secrets = project.secrets
        var parameters: [String] = []
        for source in project.sources {
            secrets.formUnion(source.derivedSecrets())
            parameters += source.secretParameterNames(secrets: secrets)
        }
        let redactor = Redactor(secrets: secrets, secretParameters: parameters)
        let level = logLevel?.level ?? .info
        return Logger(label: "connector") { _ in JSONLinesLogHandler(sink: sink, redactor: redactor, logLevel: level) }
    }
}
