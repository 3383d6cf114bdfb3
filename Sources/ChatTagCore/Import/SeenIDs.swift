/// The dialogue ids a file has already used, kept as keyed 64-bit hashes with the byte offset
/// of their first use rather than as the ids themselves, so duplicate checks cost 16 bytes a
/// dialogue however long the ids are. `Hasher` is seeded at random per process, so no file
/// can be made to collide on purpose; a hit is confirmed by reading the earlier id back.
///
/// At most ``capacity`` ids are remembered (about 50 MB): a file with more dialogues or rows is
/// refused, to be split, so memory stays bounded whatever the file.
struct SeenIDs {
    private var firstUse: [Int: Int] = [:]
    static let capacity = 1_000_000

    private static func key(_ id: String) -> Int {
        var hasher = Hasher()
        hasher.combine(id)
        return hasher.finalize()
    }

    /// The offset where `id` was used before, or nil. `idAt` reads the id used at an earlier
    /// offset, to tell a repeat from a hash collision.
    func earlierUse(of id: String, idAt: (Int) -> String?) -> Int? {
        guard let earlier = firstUse[Self.key(id)] else { return nil }
        return idAt(earlier) == id ? earlier : nil
    }

    /// Remembers that `id` was used at `offset`, unless its hash is already taken (by the same id
    /// or, rarely, by another one, which then goes unremembered). Throws past ``capacity``.
    mutating func remember(_ id: String, at offset: Int, file: String, line: Int) throws {
        let key = Self.key(id)
        guard firstUse[key] == nil else { return }
        guard firstUse.count < Self.capacity else {
            throw ImportError.malformed(
                file: file, line: line, problem: "the file holds over \(Self.capacity) dialogues (or rows of outcomes), more than one import takes",
                fix: "Split the file and import the parts one after another.")
        }
        firstUse[key] = offset
    }
}
