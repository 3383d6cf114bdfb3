/// The kinds of personal data chattag masks, each with its placeholder label (`[PHONE_1]`).
public enum PIIKind: String, Sendable, Hashable, CaseIterable {
    case phone, email, card, inn, snils, passport, oms, account, handle, url, address, birthdate, name

    /// The label inside the placeholder, e.g. `PHONE` in `[PHONE_2]`.
    public var label: String {
        switch self {
        case .oms: return "POLICY"
        default: return rawValue.uppercased()
        }
    }

    /// When two detections overlap, the lower rank wins.
    var rank: Int {
        switch self {
        case .url: return 0
        case .email: return 1
        case .handle: return 2
        case .card, .account, .inn, .snils, .passport, .oms: return 3
        case .phone: return 4
        case .birthdate: return 5
        case .address: return 6
        case .name: return 7
        }
    }
}

/// One detected piece of personal data: a byte range of the message's UTF-8 and the key that
/// decides its placeholder number (the same phone written twice gets the same `[PHONE_1]`).
struct PIISpan: Sendable, Hashable {
    var range: Range<Int>
    var kind: PIIKind
    var key: String
}
