/// What a push does for one missed lead, decided from what `crm_pushes` holds for it.
public enum CRMPushPlan: Sendable, Equatable {
    /// Already in the CRM: nothing to do.
    case skip(entityType: String?, entityID: Int?)
    /// Never started: write a `pending` row, then create.
    case create
    /// Started before and not known to be done (a crash, a failure): look the correlation id
    /// up in the CRM first, and create only when it is not there.
    case lookUpThenCreate

    /// The plan for a dialogue's push given its stored record.
    public static func decide(_ existing: CRMPushRecord?) -> CRMPushPlan {
        guard let existing else { return .create }
        switch existing.status {
        case .done: return .skip(entityType: existing.entityType, entityID: existing.entityID)
        case .pending, .failed: return .lookUpThenCreate
        }
    }

    /// The correlation id of a dialogue's tag: the same for every push of it, so a lost
    /// `pending` row still finds what an earlier push created.
    public static func correlationID(dialogueID: String, promptHash: String, model: String) -> String {
        var hasher = ContentHasher()
        hasher.add(dialogueID)
        hasher.add(promptHash)
        hasher.add(model)
        return "chattag-" + hasher.hexDigest().prefix(16)
    }
}
