/// The paging plan for Bitrix24 list methods: every list answers 50 rows a page, with
/// `total` and `next` beside `result`. After the first page has told the total, the other
/// pages' `start` offsets go into `batch` calls of at most 50 commands each, so 2,500 rows
/// cost one list call and one batch.
public enum BitrixPaging {
    /// Rows a list page holds.
    public static let pageSize = 50
    /// Commands a `batch` call may carry.
    public static let batchLimit = 50

    /// The `start` offsets after the first page, grouped into batches: for `total` 120,
    /// `[[50, 100]]`.
    public static func remainingStarts(total: Int) -> [[Int]] {
        guard total > pageSize else { return [] }
        let starts = Array(stride(from: pageSize, to: total, by: pageSize))
        return stride(from: 0, to: starts.count, by: batchLimit).map { Array(starts[$0..<min($0 + batchLimit, starts.count)]) }
    }
}
