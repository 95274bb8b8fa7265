/// Which paginators know how many records their walk holds: by default none; an offset walk
/// with `total_path` once its first page arrived; an auto-detected one as the paginator it found.
extension Paginator {
    public var announcedRecords: Int? { nil }
}

extension OffsetPaginator {
    public var announcedRecords: Int? { total }
}

extension AutoPaginator {
    public var announcedRecords: Int? { detected?.announcedRecords }
}
