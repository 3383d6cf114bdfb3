import ArgumentParser
import ChatTagCRM
import ChatTagCore
import ChatTagStore
import Foundation

struct CRMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "Exchange with the business's CRM: deal outcomes in, missed leads out.",
        discussion: """
            Examples:
              chattag crm bitrix24 outcomes --webhook-file /etc/chattag/bitrix24-webhook
              chattag crm bitrix24 import --since 2026-11-16
              chattag crm bitrix24 push --week 2026-W47 --dry-run
            """,
        subcommands: [Bitrix24Command.self])
}

struct Bitrix24Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitrix24",
        abstract: "Bitrix24 through an inbound webhook (see docs/crm.md).",
        subcommands: [Outcomes.self, Import.self, Push.self])

    struct Outcomes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set dialogue outcomes from the deals of the contacts whose phones the dialogues mention.",
            discussion: """
                Contacts and deals are read with crm.contact.list and crm.deal.list (50 a page, the rest through batch). \
                Phones on both sides are normalized (+7XXXXXXXXXX) and keyed with the pseudonym key; only the keyed form \
                and the CRM ids are stored. A deal's stage semantics give the outcome: S booked, F not_booked, P unknown.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var bitrix: Bitrix24Options

        func run() async throws {
            let store = try global.existingStore()
            let pseudonyms = try global.pseudonymizer()
            try await bitrix.run(global) { gateway in try await CRMOutcomes(gateway: gateway, store: store, pseudonyms: pseudonyms).run() }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import Open Lines chats: each session a dialogue, anonymized at the door like every export.",
            discussion: """
                Sessions are the CRM activities of provider IMOPENLINES_SESSION (crm.activity.list); messages come from \
                imopenlines.session.history.get, 50 sessions to a batch call. Operators are staff, bots are bots, the external \
                user is the client. The session's CRM binding (lead, deal or contact) is kept as the dialogue's link for \
                `outcomes` and `push`. Importing again changes nothing.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var bitrix: Bitrix24Options
        @Option(help: "Sessions that began on or after this date (YYYY-MM-DD, in --tz); default: all.") var since: String?

        func run() async throws {
            let zone = try global.zone()
            var sinceMillis: Int64?
            if let since {
                guard let start = ChatTime.parseISO8601(Substring(since + "T00:00"), zone: zone) else {
                    throw ValidationError("--since takes a date such as 2026-11-16 (got '\(since)').")
                }
                sinceMillis = start.unixMillis
            }
            let store = try global.openStore()
            let names = try NameDictionary.bundled(), pseudonyms = try global.pseudonymizer()
            try await bitrix.run(global) { gateway in
                try await OpenLinesImport(gateway: gateway, store: store, names: names, pseudonyms: pseudonyms, zone: zone).run(since: sinceMillis)
            }
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the week's missed leads to Bitrix24: a to-do on the matched deal or contact, else a new lead.",
            discussion: """
                Idempotent: each push is kept in crm_pushes with a correlation id written into the record's title (or the \
                lead's ORIGIN_ID); a second push creates nothing, and a push cut short is looked up before anything is created \
                again. Every push is an audit event in crm_events.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var bitrix: Bitrix24Options
        @Option(help: "The ISO week, e.g. 2026-W47; `last` is the last full week.") var week: String = "last"
        @Flag(name: .customLong("dry-run"), help: "Show what would be created; call nothing.") var dryRun = false

        func validate() throws {
            guard ["last", "current"].contains(week) || ReportWeek(parsing: week) != nil else {
                throw ValidationError("--week takes an ISO week such as 2026-W47, or last, or current (got '\(week)').")
            }
        }

        func run() async throws {
            let zone = try global.zone()
            let store = try global.existingStore()
            let reporting = WeeklyReporting(store: store)
            guard let target = reporting.week(week, zone: zone) else { throw ValidationError("--week takes an ISO week such as 2026-W47.") }
            let instruments = try reporting.instruments(template: nil, model: nil, week: target)
            guard let instrument = instruments.current else {
                throw UseCaseError.noInstrument(suggestion: "tagging@2 MODEL")
            }
            let report = try reporting.report(week: target, zone: zone, instruments: instruments)
            var failed = 0
            try await bitrix.run(global) { gateway in
                let summary = try await CRMPush(gateway: gateway, store: store).run(
                    week: target.description, instrument: instrument, missedLeads: report.current.missedLeads, dryRun: dryRun)
                failed = summary.failed
                return summary
            }
            if failed > 0 { throw UseCaseError.someFailed("\(failed) missed leads were not pushed; their reason is in crm_pushes.error. Run the push again.") }
        }
    }
}
