import Foundation

/// Export jobs the API reported as failed, when the resource did not declare
/// `async_job.failed_jobs: report`: the resource fails and publishes nothing, since the rows
/// those jobs would have delivered are missing.
struct FailedJobs: Error, CustomStringConvertible {
    let failures: [ExtractError]
    let items: Int

    var description: String {
        let first = failures.first.map { ": \($0.message)" } ?? ""
        return "\(failures.count) of \(items) export job\(items == 1 ? "" : "s") failed, so their rows are missing "
            + "(declare async_job.failed_jobs: report to load the others and ask again next run)\(first)"
    }
}
