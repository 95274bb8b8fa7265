/// Every key table of the spec in one list: the place a mapping sits, and the keys it accepts
/// there (for a place whose keys depend on a `type`, every type's keys). Each table is declared
/// next to its reader; this list is what the reference test and a doc generator read.
enum SpecKeys {
    static let all: [(place: String, keys: [String])] = [
        ("the top level of sources.yaml", ProjectSpec.keys),
        ("sources.<name>", SourceSpec.keys),
        ("client", ClientSpec.keys),
        ("client.rate_limit", ClientSpec.rateLimitKeys),
        ("client.retry", RetrySpec.keys),
        ("auth", AuthSpec.keys + unique(AuthSpec.Kind.allCases.flatMap(AuthSpec.keys(for:)))),
        ("paginator", PaginatorSpec.keys + unique(PaginatorSpec.Kind.allCases.flatMap(PaginatorSpec.keys(for:)))),
        ("resources[]", ResourceSpec.keys),
        ("tables.<name>", TableSelector.keys),
        ("retention", RetentionRule.keys),
        ("columns.<name>", ResourceSpec.columnKeys),
        ("processing_steps[]", ProcessingStep.keys),
        ("processing_steps[].filter", ProcessingStep.filterKeys),
        ("processing_steps[].map", ProcessingStep.mapKeys),
        ("processing_steps[].map.set", ProcessingStep.setKeys),
        ("processing_steps[].map.rename", ProcessingStep.renameKeys),
        ("checks", CheckSpec.keys),
        ("checks.<check>", CheckSpec.checkKeys),
        ("endpoint", EndpointSpec.keys),
        ("params.<name> (resolve)", EndpointSpec.resolveKeys),
        ("response_actions[]", ResponseActionSpec.keys),
        ("response_actions[].content", ResponseActionSpec.contentKeys),
        ("incremental", IncrementalSpec.keys),
        (
            "partitions.<name>",
            PartitionSpec.keys + unique(PartitionSpec.KindName.allCases.flatMap(PartitionSpec.keys(for:)))
        ),
        ("async_job", AsyncJobSpec.keys),
        ("async_job.poll", AsyncJobSpec.pollKeys),
        ("async_job.download", AsyncJobSpec.Download.keys),
        ("async_job.cancel", AsyncJobSpec.Cancel.keys),
        ("async_job.busy", AsyncJobSpec.Busy.keys),
        ("pipelines.<name>", PipelineSpec.keys),
        ("destinations/<name>.yaml", DestinationSpec.keys),
    ]

    /// Keys shared by several types listed once, in first-seen order.
    private static func unique(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}
