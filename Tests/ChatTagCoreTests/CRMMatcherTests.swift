import ChatTagCore
import Testing

@Suite struct CRMMatcherTests {
    let key = Pseudonymizer(secret: Array("matcher-key".utf8))
    let day: Int64 = 86_400_000

    func dialogue(_ id: String, phones: [String], at start: Int64) -> CRMDialogue {
        CRMDialogue(id: id, startedAtUnixMillis: start, phoneKeys: phones.compactMap { PhoneNumber.key($0, with: key) })
    }

    @Test func matchesAcrossNotationsAndReadsTheStage() {
        let contacts = [
            CRMContact(id: 1, phones: ["+79161234567"], responsibleID: 7), CRMContact(id: 2, phones: ["8 (903) 111-22-33"]),
            CRMContact(id: 3, phones: ["+7 926 000 00 00"]),
        ]
        let deals = [
            CRMDeal(id: 10, contactID: 1, stageSemantic: "S", createdAtUnixMillis: 10 * day, responsibleID: 9),
            CRMDeal(id: 11, contactID: 2, stageSemantic: "F", createdAtUnixMillis: 10 * day), CRMDeal(id: 12, contactID: 2, stageSemantic: "P", createdAtUnixMillis: 30 * day),
        ]
        let matcher = CRMMatcher(crm: "bitrix24", contacts: contacts, deals: deals, pseudonyms: key)
        guard case let .matched(link, outcome) = matcher.match(dialogue("a", phones: ["8 916 123-45-67"], at: 10 * day)) else {
            Issue.record("no match")
            return
        }
        #expect(link.contactID == 1 && link.dealID == 10 && link.responsibleID == 9 && outcome == .booked)
        guard case let .matched(later, laterOutcome) = matcher.match(dialogue("b", phones: ["9031112233"], at: 29 * day)) else {
            Issue.record("no match")
            return
        }
        #expect(later.dealID == 12 && laterOutcome == .unknown)
        guard case let .matched(_, failed) = matcher.match(dialogue("c", phones: ["+7 (903) 111-22-33"], at: 5 * day)) else {
            Issue.record("no match")
            return
        }
        #expect(failed == .notBooked)
        #expect(matcher.match(dialogue("d", phones: [], at: 0)) == .missed(.noPhone))
        #expect(matcher.match(dialogue("e", phones: ["+7 999 999-99-99"], at: 0)) == .missed(.noContact))
        guard case let .contactOnly(contactOnly) = matcher.match(dialogue("f", phones: ["89260000000"], at: 0)) else {
            Issue.record("no contact link")
            return
        }
        #expect(contactOnly.contactID == 3 && contactOnly.dealID == nil)
    }

    @Test func stageSemanticsGiveOutcomes() {
        #expect(CRMMatcher.outcome(stageSemantic: "S") == .booked)
        #expect(CRMMatcher.outcome(stageSemantic: "F") == .notBooked)
        #expect(CRMMatcher.outcome(stageSemantic: "P") == .unknown)
    }
}
