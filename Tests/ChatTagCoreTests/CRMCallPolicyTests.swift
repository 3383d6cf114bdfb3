import ChatTagCore
import Testing

@Suite struct CRMCallPolicyTests {
    let policy = CRMCallPolicy(baseDelay: 0.5, maxDelay: 4, maxRateLimitWaits: 5, maxTransientRetries: 2)
    let webhook = "https://salon.bitrix24.ru/rest/1/••••/"

    @Test func classifiesBitrixErrors() {
        #expect(CRMReply.classify(status: 503, error: "QUERY_LIMIT_EXCEEDED", description: "Too many requests") == .rateLimited)
        #expect(CRMReply.classify(status: 503, error: "OVERLOAD_LIMIT", description: nil) == .overloaded)
        #expect(CRMReply.classify(status: 401, error: "expired_token", description: nil) == .refused(code: "expired_token", status: 401))
        #expect(CRMReply.classify(status: 401, error: "NO_AUTH_FOUND", description: nil) == .refused(code: "NO_AUTH_FOUND", status: 401))
        #expect(CRMReply.classify(status: 200, error: "invalid_token", description: nil) == .refused(code: "invalid_token", status: 200))
        #expect(CRMReply.classify(status: 500, error: "INTERNAL_SERVER_ERROR", description: nil) == .transient(reason: "HTTP 500 INTERNAL_SERVER_ERROR"))
        #expect(CRMReply.classify(status: 400, error: "ERROR_CORE", description: "bad") == .methodError(code: "ERROR_CORE", description: "bad"))
        #expect(CRMReply.classify(status: 200, error: nil, description: nil) == .ok)
    }

    @Test func waitsOutTheRateLimitThenGivesUp() {
        #expect(policy.next(after: .rateLimited, attempt: 1, method: "m", webhook: webhook) == .retry(afterSeconds: 0.5))
        #expect(policy.next(after: .rateLimited, attempt: 3, method: "m", webhook: webhook) == .retry(afterSeconds: 2))
        #expect(policy.next(after: .rateLimited, attempt: 5, method: "m", webhook: webhook) == .retry(afterSeconds: 4))
        #expect(policy.next(after: .rateLimited, attempt: 6, method: "m", webhook: webhook) == .stop(.rateLimited(webhook: webhook, method: "m", waits: 5)))
    }

    @Test func refusalsAndOverloadStopAtOnceWithExit69() {
        let refused = policy.next(after: .refused(code: "expired_token", status: 401), attempt: 1, method: "crm.deal.list", webhook: webhook)
        guard case let .stop(error) = refused else {
            Issue.record("did not stop")
            return
        }
        #expect(error.exitCode == .unavailable)
        #expect(error.description.contains("expired_token") && error.description.contains("••••"))
        #expect(policy.next(after: .overloaded, attempt: 1, method: "m", webhook: webhook) == .stop(.overloaded(webhook: webhook, method: "m")))
        #expect(policy.next(after: .transient(reason: "HTTP 500"), attempt: 2, method: "m", webhook: webhook) == .retry(afterSeconds: 1))
        #expect(
            policy.next(after: .transient(reason: "HTTP 500"), attempt: 3, method: "m", webhook: webhook) == .stop(.unreachable(webhook: webhook, method: "m", reason: "HTTP 500")))
    }

    @Test func pagesAfterTheFirstGoIntoBatchesOfFifty() {
        #expect(BitrixPaging.remainingStarts(total: 50) == [])
        #expect(BitrixPaging.remainingStarts(total: 120) == [[50, 100]])
        let many = BitrixPaging.remainingStarts(total: 5_001)
        #expect(many.count == 2 && many[0].count == 50 && many[0].first == 50 && many[1].last == 5_000)
    }

    @Test func theWebhookPrintsMasked() throws {
        let hook = try Bitrix24Webhook(parsing: " https://salon.bitrix24.ru/rest/1/abc123secret/ \n")
        #expect("\(hook)" == "https://salon.bitrix24.ru/rest/1/••••/")
        #expect(hook.methodURL("crm.deal.list") == "https://salon.bitrix24.ru/rest/1/abc123secret/crm.deal.list")
        #expect(throws: CRMError.self) { try Bitrix24Webhook(parsing: "http://salon.bitrix24.ru/rest/1/abc/") }
        #expect(throws: CRMError.self) { try Bitrix24Webhook(parsing: "https://salon.bitrix24.ru/crm/") }
        #expect(try Bitrix24Webhook(parsing: "http://127.0.0.1:8080/rest/1/s/").masked == "http://127.0.0.1:8080/rest/1/••••/")
    }

    @Test func aPushIsLookedUpBeforeItIsMadeAgain() {
        #expect(CRMPushPlan.decide(nil) == .create)
        let pending = CRMPushRecord(dialogueID: "d", promptHash: "h", model: "m", crm: "bitrix24", week: "2026-W47", correlationID: "c", status: .pending)
        #expect(CRMPushPlan.decide(pending) == .lookUpThenCreate)
        var done = pending
        done.status = .done
        done.entityID = 5
        #expect(CRMPushPlan.decide(done) == .skip(entityType: nil, entityID: 5))
        #expect(CRMPushPlan.correlationID(dialogueID: "d", promptHash: "h", model: "m") == CRMPushPlan.correlationID(dialogueID: "d", promptHash: "h", model: "m"))
        #expect(CRMPushPlan.correlationID(dialogueID: "d", promptHash: "h", model: "m") != CRMPushPlan.correlationID(dialogueID: "d2", promptHash: "h", model: "m"))
    }
}
