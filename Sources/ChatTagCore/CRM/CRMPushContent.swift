/// The title and text of the CRM record made for a missed lead, in Russian, as the salon's
/// staff read them in Bitrix24: the dialogue id, who answered, why it counts as missed, the
/// client's first message (anonymized) and the correlation id that makes the push idempotent.
public struct CRMPushContent: Sendable, Equatable {
    public var title: String
    public var body: String

    public init(lead: WeekFigures.MissedLead, instrument: Instrument, correlationID: String) {
        let staff = lead.staff ?? "никто"
        title = "Упущенный лид: перезвонить клиенту (диалог \(lead.dialogueID)) [\(correlationID)]"
        let reason: String
        if let who = lead.staff {
            let minutes = lead.firstResponseSeconds.map { " через \(Int(($0 / 60).rounded())) мин" } ?? ""
            reason = "клиент проявил интерес, \(who) ответил(а)\(minutes), но запись или следующий шаг не предложены"
        } else {
            reason = "клиент проявил интерес, но ему никто не ответил"
        }
        body = """
            Клиент проявил интерес, но запись не предложена. Свяжитесь с ним и предложите время.
            Диалог: \(lead.dialogueID) (\(lead.channel), \(lead.startedAt))
            Сотрудник: \(staff)
            Причина: \(reason)
            Первое сообщение клиента (обезличено): «\(lead.excerpt)»
            Тег: \(instrument.promptName) v\(instrument.promptVersion), модель \(instrument.model)
            Метка chattag: \(correlationID)
            """
    }
}
