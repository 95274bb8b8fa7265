/// Records a resource has read, and how many its API announced, per work item, and the work
/// items finished: the ground for an estimate of the time left. A total of records is known
/// only when every work item announced one.
struct RecordTally: Sendable {
    private var itemCount = 0
    private var read = 0
    private var announced: [String: Int] = [:]
    private var finished: Set<String> = []

    mutating func expect(items: Int) { itemCount = items }

    mutating func add(records: Int, item: String, announced total: Int?, last: Bool) {
        read += records
        if let total { announced[item] = total }
        if last { finished.insert(item) }
    }

    var records: Int { read }
    var items: Int { itemCount }
    var itemsDone: Int { finished.count }

    /// The records the whole resource holds, when every work item said how many it has.
    var expected: Int? {
        itemCount > 0 && announced.count == itemCount ? announced.values.reduce(0, +) : nil
    }
}
