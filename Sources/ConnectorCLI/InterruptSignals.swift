import Dispatch
import Foundation

/// SIGINT (Ctrl-C) and SIGTERM during a run: print what was committed and what was cut off,
/// then end at once with 130 or 143. Ending like a killed process is what keeps the
/// destination consistent — every load publishes in one transaction, and staged pages with
/// their checkpoints stay for the next run to resume — whereas cancelling the tasks would let
/// a pipeline commit the resources that happened to finish.
final class InterruptSignals {
    private let sources: [any DispatchSourceSignal]

    /// Installs the handlers; `describe` names the signal's effect (called once, on a signal).
    init(describe: @escaping @Sendable (String) -> String) {
        sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            signal(number, SIG_IGN)  // the dispatch source gets it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let text = describe(name) + "\n"
                StandardOutput.flush()  // reports of pipelines that ended are printed, then the summary
                FileHandle.standardError.write(Data(text.utf8))
                _exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// Back to the default actions (after the pipelines ended).
    func remove() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
