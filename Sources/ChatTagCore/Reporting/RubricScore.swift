/// One answered dialogue scored on the manager rubric, −2 to 10:
/// - first response (from timestamps, never asked of the model): 0–3 min = 3, 3–15 min = 2, over 15 min = 0;
/// - needs clarified: full = 3, partial = 1, none = 0;
/// - a booking or price offered in the first thread: 3, else 0;
/// - no rudeness or errors: 1; some: −2.
///
/// A dialogue nobody on staff answered has no score: it counts as unanswered.
public struct RubricScore: Sendable, Equatable {
    /// The rubric's parts, as the report names the point lost.
    public enum Part: String, Sendable, CaseIterable, Codable {
        case firstResponse = "first_response"
        case needsClarified = "needs_clarified"
        case offerMade = "offer_made"
        case noRudeness = "no_rudeness"

        /// The part's name on a page.
        public func name(_ w: Wording) -> String {
            switch self {
            case .firstResponse: return w.t("быстрый первый ответ", "fast first response")
            case .needsClarified: return w.t("уточнил потребности", "clarified needs")
            case .offerMade: return w.t("предложил запись или цену", "offered a booking or price")
            case .noRudeness: return w.t("без грубости и ошибок", "no rudeness or errors")
            }
        }

        /// What losing the part means, for a coaching line: «медленный первый ответ (25 мин)».
        public func failure(_ w: Wording) -> String {
            switch self {
            case .firstResponse: return w.t("медленный первый ответ", "slow first response")
            case .needsClarified: return w.t("не уточнил потребности", "did not clarify needs")
            case .offerMade: return w.t("не предложил запись или цену", "offered no booking or price")
            case .noRudeness: return w.t("грубость или ошибка", "rudeness or an error")
            }
        }
    }

    public var responsePoints: Int
    public var needsPoints: Int
    public var offerPoints: Int
    public var conductPoints: Int
    public var recommendedAction: String?
    public var firstResponseSeconds: Double

    public var total: Int { responsePoints + needsPoints + offerPoints + conductPoints }

    /// The points of each part and its maximum.
    public var parts: [(part: Part, points: Int, maximum: Int)] {
        [(.firstResponse, responsePoints, 3), (.needsClarified, needsPoints, 3), (.offerMade, offerPoints, 3), (.noRudeness, conductPoints, 1)]
    }

    /// The parts that did not get full marks, in rubric order.
    public var failedParts: [Part] { parts.filter { $0.points < $0.maximum }.map(\.part) }

    /// The score of an answered dialogue from its facts and the rubric tag's values; nil when
    /// nobody answered or the tag lacks a rubric field.
    public init?(facts: DialogueFacts, values: TagValues) {
        guard let seconds = facts.firstResponseSeconds, facts.firstResponder != nil, let needs = values["needs_clarified"], let offer = values["offer_made"],
            let rude = values["rude_or_error"]
        else { return nil }
        firstResponseSeconds = seconds
        responsePoints = seconds <= 180 ? 3 : seconds <= 900 ? 2 : 0
        needsPoints = needs == "full" ? 3 : needs == "partial" ? 1 : 0
        offerPoints = offer == "true" ? 3 : 0
        conductPoints = rude == "true" ? -2 : 1
        recommendedAction = values["recommended_action"]
    }

    /// A recommended action as the pages name it.
    public static func actionName(_ action: String?, _ w: Wording) -> String {
        switch action {
        case "template_reply"?: return w.t("ответ по шаблону: цена, время, ссылка на запись", "a template reply: price, slot, booking link")
        case "clarify"?: return w.t("уточнить потребность", "clarify the need")
        case "redirect"?: return w.t("передать нужному человеку", "hand over to the right person")
        case "none"?: return w.t("ничего, всё сделано", "nothing, handled well")
        default: return "—"
        }
    }
}
