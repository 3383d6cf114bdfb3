/// The dialogue ids a file has already used, kept as keyed 64-bit hashes with the byte offset
/// of their first use rather than as the ids themselves, so duplicate checks cost 16 bytes a
/// dialogue however long the ids are. `Hasher` is seeded at random per process, so no file
/// can be made to collide on purpose; a hit is confirmed by reading the earlier id back.
struct SeenIDs {
    private var firstUse: [Int: Int] = [:]

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
    /// or, rarely, by another one, which then goes unremembered).
    mutating func remember(_ id: String, at offset: Int) {
        let key = Self.key(id)
        if firstUse[key] == nil { firstUse[key] = offset }
    }
}
