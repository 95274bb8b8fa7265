/// A value given once and awaited by any number of tasks. A parent resource hands its records to
/// its children through one, and its outcome through another: children start reading while the
/// parent's last rows are still being written (`ChildSession`).
actor OneShot<Value: Sendable> {
    private var given: Value?
    private var waiting: [CheckedContinuation<Value, Never>] = []

    /// Settles the value; later calls change nothing.
    func give(_ value: Value) {
        guard given == nil else { return }
        given = value
        for waiter in waiting { waiter.resume(returning: value) }
        waiting.removeAll()
    }

    /// The value, once given.
    func value() async -> Value {
        if let given { return given }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
