import ChatTagCore
import Foundation
import Testing

@testable import ChatTagCRM

@Suite struct BitrixJSONTests {
    @Test func batchCommandsAreWrittenAsPHPQueries() {
        let params: BitrixJSON = .object([
            "select": .array([.string("ID"), .string("PHONE")]), "order": .object(["ID": .string("ASC")]),
            "filter": .object([">=START_TIME": .string("2026-11-16T00:00:00+03:00")]),
            "start": .number(50),
        ])
        #expect(
            params.query() == [
                "filter%5B%3E%3DSTART_TIME%5D=2026-11-16T00%3A00%3A00%2B03%3A00", "order%5BID%5D=ASC", "select%5B0%5D=ID", "select%5B1%5D=PHONE", "start=50",
            ])
    }

    @Test func readsNumbersWrittenAsStringsAndPHPListsWrittenAsObjects() throws {
        let reply = try #require(BitrixJSON(data: Data(#"{"result":{"2":{"ID":"42"},"10":{"ID":"7"}},"total":"120","flag":"Y"}"#.utf8)))
        #expect(reply["total"]?.int == 120)
        #expect(reply["result"]?.array?.compactMap { $0["ID"]?.int } == [42, 7])
        #expect(reply["flag"]?.truthy == true && BitrixJSON.bool(false).truthy == false)
    }

    @Test func aSessionHistoryGivesMessagesAndWhoIsTheClient() throws {
        let text = #"""
            {"chatId":1982,"sessionId":469,"message":{"19009":{"id":"19009","chatid":"1982","senderid":"0","date":"2023-05-30T07:45:34+02:00","text":"Диалог завершен."},
             "19001":{"id":"19001","chatid":"1982","senderid":"12","date":"2023-05-30T07:40:00+02:00","text":"Здравствуйте"}},
             "users":{"12":{"id":12,"name":"Мария","bot":false,"connector":true},"1":{"id":1,"name":"Анна","bot":false,"connector":false}}}
            """#
        let history = Bitrix24Gateway.history(try #require(BitrixJSON(data: Data(text.utf8))))
        #expect(history.messages.map(\.id).sorted() == [19001, 19009])
        let first = try #require(history.messages.first { $0.id == 19001 })
        #expect(first.senderID == 12 && first.at.offsetSeconds == 7200 && first.at.iso8601.hasPrefix("2023-05-30T07:40:00"))
        #expect(history.users[12]?.isClient == true && history.users[1]?.isClient == false)
    }
}
