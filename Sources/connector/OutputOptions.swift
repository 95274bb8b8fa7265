import ArgumentParser

/// How a run shows what it does: progress on standard error (`--progress-interval`), and a
/// log (`--log-level`, `--log-file`).
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds between progress lines when standard error is not a terminal (a terminal gets a status block).",
            valueName: "seconds"))
    var progressInterval: Double = 2
}
