extension MappingReader {
    /// A JSON path, or a list of alternatives tried in order (`status_path: [job.status, status]`,
    /// `data_selector: [jobs, $]`): one spec reads an API that answers in either of two shapes.
    /// A single string is one path even when it holds a comma.
    mutating func pathChoices(_ key: String) throws(SpecError) -> [String]? {
        guard let node = take(key) else { return nil }
        let what = "'\(key)' in \(context)"
        guard case .sequence(let items, let location) = node else { return [try string(node, what).value] }
        guard !items.isEmpty else {
            throw SpecError(
                "\(what) is an empty list: give one path, or the alternatives to try in order", at: location)
        }
        var paths: [String] = []
        for item in items { paths.append(try string(item, what).value) }
        return paths
    }
}
