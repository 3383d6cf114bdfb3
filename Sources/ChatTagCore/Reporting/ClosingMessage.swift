import Foundation

/// Decides whether a client's final message closes the conversation, so that a dialogue ending
/// with it need not count as unanswered.
///
/// Most dialogues whose last client message has no later staff reply end with «Спасибо», «Ок»,
/// «👍» or «До свидания»: nothing was left to answer. This type recognises those endings in
/// Russian and English chats (WhatsApp, Telegram, site widgets), written as people really type:
/// lowercase, without punctuation, with «спс», «спасибки», «окей», stretched letters («спасибооо»).
///
/// The rule: a message is closing when it needs no reply from the business — thanks, an
/// acknowledgement, a goodbye, a lone emoji, sticker or reaction, «хорошо, жду» after the business
/// promised something, or a decision not to proceed («подумаю», «не актуально», «нет, спасибо»).
/// It is not closing when it asks anything, requests an action, waits for an answer nobody
/// promised («жду ответа», «ау», «алло»), complains, or leaves contact details.
///
/// The check, in order:
/// - any «?» (or a question-mark emoji) → not closing;
/// - seven or more digits (a phone number), a placeholder other than a sticker, reaction or
///   masked name (`[PHONE_1]`, `[PHOTO]`, `[VOICE]`, `[MEDIA]`…), or a negative emoji
///   (😡 👎 🤔 …) → not closing;
/// - a text made only of emoji, stickers, reactions or «)))» → closing;
/// - more than 16 words → not closing;
/// - otherwise the words are covered left to right by phrases of the closing vocabulary (thanks,
///   acknowledgements, goodbyes, decisions such as «подумаю», «не актуально», «нет, спасибо») and
///   short filler («ну», «да», «вам», «большое»). A word outside those phrases that asks,
///   requests, nudges or complains («когда», «сколько», «можно», «запишите», «перезвоните»,
///   «ответа», «ау», «алло», «дорого», «ужас»…) makes the message not closing at once; so does any
///   other word left uncovered, except a few allowed only in context: «жду» next to an
///   acknowledgement or thanks («хорошо, жду», «жду, спасибо») and not followed by more
///   («жду ответа»); a day or time after a goodbye («до встречи в субботу в 11:00»); the reason
///   after thanks («спасибо за чудесный вечер», but not «спасибо за ничего»); a received item
///   next to «получила»/«пришёл» («ссылку получила»); a masked name with thanks or a goodbye
///   («Спасибо, [NAME_1]!») or a capitalised one right after them at the end («Спасибо, Анна!»);
///   and «а» only as an interjection («а, понятно», not «а цена»). At least one word must be
///   thanks, an acknowledgement, a goodbye or a decision: «да» or «нет» alone answers a question
///   whose meaning the detector cannot see.
///
/// Precision matters more than recall: a question taken for a closing hides a client nobody
/// answered, so anything the vocabulary does not cover counts as not closing.
///
/// The detector sees only the message. A caller should exempt a dialogue only when its earlier
/// client messages were answered; a client who wrote «Сколько стоит?» and then «Ок» without any
/// reply in between was still ignored.
public enum ClosingMessage {
    /// Whether `text`, a client's last message in a dialogue, needs no reply from the business.
    public static func isClosing(_ text: String) -> Bool {
        guard let scan = Scan(text), !scan.blocked else { return false }
        let tokens = scan.tokens
        if tokens.isEmpty { return scan.reactions > 0 }
        if tokens.count > maximumTokens { return false }
        return covers(tokens) || isThanksWithNothingToAnswer(tokens)
    }

    /// Thanks with a short remark the business need not answer: «Спасибо, видим», «Получилось,
    /// спасибо, вы супер!», «Ура, спасибо! Заберу завтра». Any question, request, nudge,
    /// complaint or objection word («но», «однако», «жду») leaves it to ``covers(_:)``.
    private static func isThanksWithNothingToAnswer(_ tokens: [Token]) -> Bool {
        guard tokens.count <= 10 else { return false }
        var thanked = false
        for (index, token) in tokens.enumerated() {
            if Vocabulary.signals.contains(token.text) || objections.contains(token.text) || token.isName { return false }
            if longestPhrase(in: tokens, at: index)?.role == .thanks { thanked = true }
        }
        return thanked
    }

    /// Words that turn thanks into an objection or a wait: the business should still answer.
    private static let objections: Set<String> = [
        "но", "однако", "только", "жду", "ждем", "ждём", "подожду", "but", "however", "though", "waiting", "wait", "still", "again", "снова", "опять",
        "второй", "третий", "раз", "second", "time", "не", "нет", "not", "no",
        // A question without its question mark: «спасибо а парковка есть», «вы работаете в праздники».
        "а", "ли", "есть", "работаете", "работает", "работают", "вопрос", "кстати", "брать", "взять", "нужно", "надо", "можете", "сможете",
        // A request, a payment to confirm, sarcasm, a threat.
        "вышлите", "пришлите", "отправьте", "пожалуйста", "please", "оплатила", "оплатил", "оплатили", "перевела", "перевел", "перевёл",
        "ничего", "жаловаться", "жалоба", "отзыв",
    ]

    /// Longer messages almost always carry content beyond a closing.
    private static let maximumTokens = 16

    // MARK: Coverage

    /// What a vocabulary phrase contributes to a message.
    private enum Role {
        /// Thanks, an acknowledgement, a goodbye or a decision: makes the message closing.
        case thanks, acknowledgement, goodbye, decision
        /// Allowed, but closes nothing on its own («ну», «да», «большое»).
        case filler
        /// «жду», «подожду»: closing only next to an acknowledgement or thanks («хорошо, жду»).
        case waiting
        /// «получила», «пришёл»: an acknowledgement that lets a received item («ссылку») follow.
        case received
    }

    private struct Phrase {
        var words: [String]
        var role: Role
        /// A goodbye that a day or a time may follow («до встречи в субботу»).
        var takesTime = false
    }

    /// True when every token is covered and at least one is thanks, an acknowledgement, a goodbye or a decision.
    private static func covers(_ tokens: [Token]) -> Bool {
        var index = 0
        var roles: [Role] = []
        var nameSlots = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.isName {
                // A masked name is only a name, whatever the anonymizer matched.
                nameSlots += 1
                index += 1
                continue
            }
            if let phrase = longestPhrase(in: tokens, at: index) {
                if phrase.role == .waiting, !isAllowedWait(phrase, in: tokens, at: index, after: roles) { return false }
                roles.append(phrase.role)
                index += phrase.words.count
                if phrase.takesTime {
                    let clause = tokens[index - 1].clause
                    while index < tokens.count, tokens[index].clause == clause, isTimeWord(tokens[index].text) { index += 1 }
                }
                if phrase.role == .thanks { index = skipThanksReason(tokens, from: index) }
                continue
            }
            if roles.contains(.thanks) {
                // «спасибо большое за работу»: the reason after a filler.
                let end = skipThanksReason(tokens, from: index)
                if end > index {
                    index = end
                    continue
                }
            }
            // Words outside the vocabulary phrases: a question, request, nudge or complaint word
            // decides at once; a few others are allowed only in context.
            if Vocabulary.signals.contains(token.text) { return false }
            if token.text == "а", isInterjection(tokens, at: index) {
                index += 1
                continue
            }
            if Vocabulary.receivedItems.contains(token.text), isNearReceived(tokens, at: index) {
                index += 1
                continue
            }
            if token.capitalised, token.text.count >= 2, token.text.allSatisfy(\.isLetter), nameSlots == 0, isNameAfterThanksOrGoodbye(tokens, at: index) {
                nameSlots += 1
                index += 1
                continue
            }
            return false
        }
        let closers = roles.filter { $0 != .filler }
        if closers.isEmpty { return false }
        if nameSlots > 0, !roles.contains(where: { $0 == .thanks || $0 == .goodbye }) { return false }
        return true
    }

    /// «жду» closes only after an acknowledgement or thanks («хорошо, жду»), and only when nothing but
    /// a time or another closing word follows: «thanks, waiting for your reply» waits for an answer.
    private static func isAllowedWait(_ phrase: Phrase, in tokens: [Token], at index: Int, after roles: [Role]) -> Bool {
        let acknowledged = roles.contains { $0 == .acknowledgement || $0 == .thanks || $0 == .received }
        guard acknowledged || followedByThanks(tokens, from: index + phrase.words.count) else { return false }
        let next = index + phrase.words.count
        guard next < tokens.count, tokens[next].clause == tokens[next - 1].clause else { return true }
        if phrase.takesTime, isTimeWord(tokens[next].text) { return true }
        guard let following = longestPhrase(in: tokens, at: next) else { return false }
        return following.role != .filler && following.role != .waiting
    }

    /// «Жду, спасибо»: thanks right after the waiting word, in the next clause.
    private static func followedByThanks(_ tokens: [Token], from index: Int) -> Bool {
        guard index < tokens.count, let phrase = longestPhrase(in: tokens, at: index) else { return false }
        return phrase.role == .thanks
    }

    private static func longestPhrase(in tokens: [Token], at index: Int) -> Phrase? {
        guard let candidates = Vocabulary.phrases[tokens[index].text] else { return nil }
        for phrase in candidates where index + phrase.words.count <= tokens.count {
            var matches = true
            for (offset, word) in phrase.words.enumerated() where tokens[index + offset].text != word {
                matches = false
                break
            }
            if matches { return phrase }
        }
        return nil
    }

    /// «а» before a closing word or at the end of its clause is an interjection («а, понятно»);
    /// before anything else it opens a question («а цена»).
    private static func isInterjection(_ tokens: [Token], at index: Int) -> Bool {
        let next = index + 1
        guard next < tokens.count, tokens[next].clause == tokens[index].clause else { return true }
        guard let phrase = longestPhrase(in: tokens, at: next) else { return false }
        return phrase.role != .filler && phrase.role != .waiting
    }

    private static func isNearReceived(_ tokens: [Token], at index: Int) -> Bool {
        let clause = tokens[index].clause
        return tokens.indices.contains { other in
            other != index && abs(other - index) <= 2 && tokens[other].clause == clause && Vocabulary.receivedWords.contains(tokens[other].text)
        }
    }

    /// An unmasked name addressed at the end: «Спасибо, Анна!». Only as the last word and right after
    /// thanks or a goodbye in the same sentence, so that «Оплатила, спасибо» or «Спасибо. Перезвоню»
    /// are not taken for names.
    private static func isNameAfterThanksOrGoodbye(_ tokens: [Token], at index: Int) -> Bool {
        guard index > 0, index == tokens.count - 1 else { return false }
        let previous = tokens[index - 1]
        return previous.sentence == tokens[index].sentence && Vocabulary.thanksOrGoodbyeWords.contains(previous.text)
    }

    /// After thanks, the reason: «за» or «for» and up to three words to the end of the clause
    /// («спасибо за чудесный вечер», «thanks for the quick reply»), or «что» and a past-tense verb
    /// («спасибо, что так быстро ответили»). «Спасибо за ничего» is sarcasm, not thanks.
    private static func skipThanksReason(_ tokens: [Token], from start: Int) -> Int {
        guard start < tokens.count else { return start }
        if tokens[start].text == "за" || tokens[start].text == "for" {
            let clause = tokens[start].clause
            var end = start + 1
            while end < tokens.count, tokens[end].clause == clause { end += 1 }
            let reason = tokens[(start + 1)..<end]
            guard (1...3).contains(reason.count) else { return start }
            for token in reason {
                let word = token.text
                if token.isName || !word.allSatisfy(\.isLetter) || Vocabulary.signals.contains(word) || Vocabulary.sarcasm.contains(word) { return start }
            }
            return end
        }
        guard tokens[start].text == "что" else { return start }
        var index = start + 1
        while index < tokens.count, index - start <= 4, tokens[index].clause == tokens[start].clause {
            let word = tokens[index].text
            if word.count >= 5, word.hasSuffix("ли"), word.allSatisfy(\.isLetter) { return index + 1 }
            guard Vocabulary.reasonFillers.contains(word) else { break }
            index += 1
        }
        return start
    }

    /// A day, «завтра», «в», or a clock time such as `11:00`, `11`, `3pm` after a goodbye.
    private static func isTimeWord(_ word: String) -> Bool {
        if Vocabulary.timeWords.contains(word) { return true }
        var body = Substring(word)
        if body.hasSuffix("am") || body.hasSuffix("pm") { body = body.dropLast(2) }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
        guard (1...2).contains(parts.count), let hour = parts.first, (1...2).contains(hour.count), hour.allSatisfy(\.isASCIIDigit) else { return false }
        if parts.count == 2 { return parts[1].count == 2 && parts[1].allSatisfy(\.isASCIIDigit) }
        return true
    }

    // MARK: Scanning

    /// One word of the message, folded: lowercase, «ё» as «е», letter runs of three or more shortened to one.
    private struct Token {
        var text: String
        /// Index of the clause (the text between «,», «.», «!», «;», line breaks…).
        var clause: Int
        /// Index of the sentence (the text between «.», «!», «…», line breaks).
        var sentence: Int
        /// The word began with a capital letter in the original text (a possible name).
        var capitalised: Bool
        /// A masked name, `[NAME_1]`.
        var isName: Bool
    }

    /// The message split into tokens, with the facts that decide at once.
    private struct Scan {
        var tokens: [Token] = []
        /// Emoji, stickers, reactions and «)» smileys seen.
        var reactions = 0
        /// Something that makes the message not closing whatever its words are.
        var blocked = false

        init?(_ text: String) {
            let characters = Array(text)
            var word = ""
            var capitalised = false
            var clause = 0
            var sentence = 0
            var digits = 0
            var index = 0

            func flush() {
                guard !word.isEmpty else { return }
                tokens.append(Token(text: ClosingMessage.squeeze(word), clause: clause, sentence: sentence, capitalised: capitalised, isName: false))
                word = ""
                capitalised = false
            }

            while index < characters.count {
                let character = characters[index]
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                defer { index += 1 }
                if Vocabulary.questionMarks.contains(character) {
                    blocked = true
                    return
                }
                if character.isLetter {
                    if word.isEmpty { capitalised = character.isUppercase }
                    let lower = character.lowercased()
                    word += lower == "ё" ? "е" : lower
                    continue
                }
                if character.isASCIIDigit {
                    digits += 1
                    word.append(character)
                    continue
                }
                if character == ":" || character == ".", let last = word.last, last.isASCIIDigit, let next, next.isASCIIDigit {
                    word.append(character)
                    continue
                }
                if character == "'" || character == "’", let last = word.last, last.isLetter, let next, next.isLetter {
                    word.append("'")
                    continue
                }
                flush()
                if character == "[", let close = characters[index...].prefix(48).firstIndex(of: "]") {
                    let inside = String(characters[(index + 1)..<close])
                    switch ClosingMessage.placeholder(inside) {
                    case .reaction(let negative):
                        if negative {
                            blocked = true
                            return
                        }
                        reactions += 1
                    case .name:
                        tokens.append(Token(text: "[name]", clause: clause, sentence: sentence, capitalised: false, isName: true))
                    case .other:
                        blocked = true
                        return
                    }
                    index = close
                    continue
                }
                if ClosingMessage.isEmoji(character) {
                    if ClosingMessage.isNegativeEmoji(character) {
                        blocked = true
                        return
                    }
                    reactions += 1
                    continue
                }
                if character == ")" {
                    reactions += 1
                    continue
                }
                if character.isNewline || Vocabulary.clauseBreaks.contains(character) { clause += 1 }
                if character.isNewline || Vocabulary.sentenceBreaks.contains(character) { sentence += 1 }
            }
            flush()
            if digits >= 7 { blocked = true }
            if tokens.isEmpty && reactions == 0 && !blocked { return nil }
        }
    }

    private enum Placeholder {
        case reaction(negative: Bool)
        case name
        case other
    }

    /// `[STICKER 👍]`, `[стикер]`, `[реакция ❤️]` are reactions; `[NAME_1]` is a masked name; any
    /// other placeholder (`[PHONE_1]`, `[PHOTO]`, `[VOICE]`, `[MEDIA]`, `[DELETED]`) hides content.
    private static func placeholder(_ inside: String) -> Placeholder {
        let folded = inside.lowercased()
        let label = folded.prefix { $0.isLetter }
        if Vocabulary.reactionLabels.contains(String(label)) {
            return .reaction(negative: folded.contains(where: isNegativeEmoji))
        }
        if label == "name", folded.dropFirst(label.count).allSatisfy({ $0 == "_" || $0.isASCIIDigit }) { return .name }
        return .other
    }

    private static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, !character.isLetter, !character.isNumber else { return false }
        if scalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) { return true }
        return first.properties.isEmoji && first.value >= 0x2000
    }

    private static func isNegativeEmoji(_ character: Character) -> Bool {
        character.unicodeScalars.contains { Vocabulary.negativeEmoji.contains($0.value) }
    }

    /// Shortens runs of three or more equal letters to one: «спасибооо» → «спасибо», «аууу» → «ау».
    private static func squeeze(_ word: String) -> String {
        var out: [Character] = []
        var run = 0
        for character in word {
            if let last = out.last, last == character {
                run += 1
            } else {
                run = 1
            }
            out.append(character)
            if run == 3 {
                out.removeLast(2)
            } else if run > 3 {
                out.removeLast()
            }
        }
        return String(out)
    }

    // MARK: Vocabulary

    /// Word sets built once.
    private enum Vocabulary {
        static let thanks = """
            спасибо спасиба спасибы спасиб спасибки спасибочки спасибочко спасибушки спс спсб пасиб пасиба пасибо пасибки сяп
            благодарю благодарим благодарствую мерси сенкс сенкью
            thanks thank|you thank|u thanks|a|lot many|thanks thx tnx thanx ty tysm cheers much|appreciated appreciate|it
            """
        static let acknowledgements = """
            ок окей оке оки окс окк океюшки кк хорошо хор харашо хорошо|хорошо ладно ладушки лады добро идет пойдет годится норм
            нормально понятно понятненько понял поняла поняли ясно ясненько принято принял приняла понял|принял договорились
            договорилась как|договорились как|договаривались буду|знать будем|знать в|курсе помню учту учтем передам четко
            отлично супер класс классно прекрасно замечательно чудесно здорово круто шикарно великолепно превосходно ура
            приятно понравилось довольна доволен довольны молодцы умницы выручили помогли вы|лучшие вы|молодцы вы|супер
            приятно|было|пообщаться было|приятно|пообщаться запомнила запомнил записала записал записала|себе записал|себе
            записалась записался отметила отметил буду будем приду придем буду|вовремя приду|вовремя в|силе запись|в|силе
            разобралась разобрался разобрались вопрос|снят вопрос|решен вопрос|закрыт все|работает заработало
            с|нетерпением|жду жду|с|нетерпением ничего|страшного не|страшно бывает ничего|бывает пусть|будет|так как|скажете
            не|вопрос без|проблем
            ok okay okey okie k kk got|it noted understood sure alright all|right fine perfect great cool awesome excellent nice
            lovely wonderful sounds|good will|do no|problem np no|worries all|good deal it|works works|now working|now sorted
            all|sorted will|come i'll|be|there will|be|there i|will|be|there
            """
        /// Past forms of «received»; «пришли» is left out, being also «send!».
        static let received = "получила получил получили пришло пришел пришла"
        static let goodbyes = """
            до|свидания до|свидание досвидания до|свиданья досвиданья досвидос пока покеда до|встречи до|завтра до|связи
            до|скорого до|вечера до|понедельника до|вторника до|среды до|четверга до|пятницы до|субботы до|воскресенья увидимся
            всего|доброго всего|хорошего всего|наилучшего всего|вам|доброго всего|вам|хорошего хорошего|дня хорошего|вечера
            хороших|выходных хорошего|настроения доброго|дня доброго|вечера приятного|дня приятного|вечера отличного|дня
            отличного|вечера отличных|выходных прекрасного|дня прекрасного|вечера чудесного|дня чудесного|вечера удачного|дня
            удачного|вечера спокойной|ночи доброй|ночи удачи взаимно и|вам вам|тоже и|вам|того|же
            bye goodbye bye|bye see|you see|ya cya take|care you|too same|to|you good|day nice|weekend have|a|nice|one
            have|a|nice|day have|a|good|day have|a|great|day have|a|lovely|day have|a|nice|evening have|a|good|evening
            have|a|great|evening have|a|nice|weekend have|a|good|weekend have|a|great|weekend
            """
        static let decisions = """
            подумаю я|подумаю подумаем думаем надо|подумать напишу позже|напишу перезвоню позвоню наберу вернусь вернемся
            не|актуально неактуально не|надо не|нужно не|требуется не|интересно неинтересно не|интересует передумала передумал
            отбой не|надо|перезванивать не|нужно|перезванивать не|надо|звонить не|нужно|звонить не|буду|записываться
            записываться|не|буду вопросов|нет нет|вопросов больше|вопросов|нет нашла|другого|мастера нашел|другого|мастера
            never|mind nevermind not|needed no|longer|needed i'll|think|about|it i|will|think|about|it will|think|about|it
            let|me|think
            """
        /// Goodbyes and promises after which a day or a time may follow («до встречи в субботу», «ждём вас завтра»).
        static let timedGoodbyes: Set<String> = [
            "до встречи", "до завтра", "увидимся", "see you", "see ya", "жду вас", "ждем вас", "буду ждать вас", "будем ждать вас",
        ]
        static let fillers = """
            ну да и вы вам тебе вас нас мне я мы нам нет большое огромное преогромное большущее очень тоже еще раз тогда все вот так
            же уже просто обязательно конечно ага угу ах ой доктор девушки девочки коллеги ребята
            so very much a lot again all guys then too and oh ah yes yeah no really now
            """
        /// Waiting: closing only next to an acknowledgement or thanks, and only for what the business
        /// offered to do (a call, a link, a fix); «жду ответа» is not here.
        static let waiting = """
            жду ждем подожду подождем буду|ждать будем|ждать жду|вас ждем|вас буду|ждать|вас будем|ждать|вас жду|звонка ждем|звонка
            жду|вашего|звонка ждем|вашего|звонка жду|ссылку жду|смс жду|подтверждения жду|счет жду|акт ждем|акт жду|документы
            ждем|документы жду|исправления ждем|исправления жду|решения ждем|решения waiting will|wait i'll|wait
            """

        static let phrases: [String: [Phrase]] = {
            var table: [String: [Phrase]] = [:]
            func add(_ list: String, _ role: Role) {
                for entry in list.split(whereSeparator: \.isWhitespace) {
                    let words = entry.split(separator: "|").map(String.init)
                    let phrase = Phrase(words: words, role: role, takesTime: timedGoodbyes.contains(words.joined(separator: " ")))
                    table[words[0], default: []].append(phrase)
                }
            }
            add(thanks, .thanks)
            add(acknowledgements, .acknowledgement)
            add(received, .received)
            add(goodbyes, .goodbye)
            add(decisions, .decision)
            add(fillers, .filler)
            add(waiting, .waiting)
            return table.mapValues { $0.sorted { $0.words.count > $1.words.count } }
        }()

        /// Words that alone make a message not closing: questions, requests, nudges, complaints.
        static let signals: Set<String> = words(
            """
            когда сколько скольки где куда откуда почему зачем какой какая какое какие какую каких каким которые который которая можно
            ли разве неужели чем кто кого кому чей what when where why how which who whom whose can could would should is are do does
            did any anyone anybody update still запишите записать записывайте перезвоните позвоните наберите пришлите присылайте
            скиньте скинете отправьте напишите подскажите скажите уточните перенесите перенести отмените отменить отменяю забронируйте
            оформите выставьте верните помогите сделайте добавьте проверьте ответьте предупредите напомните посмотрите пришлете хочу
            хотела хотел хотим хотелось интересует please send cancel reschedule need want ау ауу алло ало алле але эй
            ответа hello hi ужас ужасно ужасный ужасная кошмар безобразие безобразно отвратительно хамство жалоба жалобу претензия
            претензию недовольна недоволен возврат плохо долго дорого дороговато опоздала опоздал опоздали опаздываю испортили
            неприемлемо разочарована разочарован грубо нагрубили обман обманули unacceptable terrible awful disappointed refund
            complaint expensive worst
            """)
        static let receivedWords: Set<String> = words(received)
        /// Things a client says they received: «ссылку получила», «чек пришёл».
        static let receivedItems: Set<String> = words("ссылку ссылка чек счет файл документы письмо смс код доступ анализы результаты результат акт")
        static let thanksOrGoodbyeWords: Set<String> = words(
            "спасибо спасиба спасиб спасибки спасибочки спс благодарю мерси thanks thank thx you свидания встречи пока доброго хорошего bye")
        /// «Спасибо за ничего».
        static let sarcasm: Set<String> = words("ничего ничто nothing")
        static let reasonFillers: Set<String> = words("так быстро оперативно вы нам мне меня нас все")
        static let timeWords: Set<String> = words(
            """
            в во на завтра послезавтра сегодня утром вечером днем понедельник вторник среду четверг пятницу субботу воскресенье
            следующей неделе then tomorrow soon on at there next week monday tuesday wednesday thursday friday saturday sunday
            """)
        static let reactionLabels: Set<String> = words("sticker стикер стикеры reaction реакция emoji эмодзи смайл смайлик лайк like")
        static let questionMarks: Set<Character> = ["?", "？", "¿", "⁇", "⁈", "⁉", "❓", "❔"]
        static let clauseBreaks: Set<Character> = [",", ".", "!", ";", ":", "…", "—", "–", "("]
        static let sentenceBreaks: Set<Character> = [".", "!", ";", "…"]
        /// Angry, sad, doubtful or nudging emoji: 😡 😠 🤬 👎 😤 😢 😭 😞 😔 😒 🙄 😕 🤔 ❗ ‼ 😱 🤨 😐 😑 😩 😫 💩 🤦 🤷 ⏰ ☹ 🙁 😟
        /// 😣 😖 😥 😰 😨.
        static let negativeEmoji: Set<UInt32> = [
            0x1F621, 0x1F620, 0x1F92C, 0x1F44E, 0x1F624, 0x1F622, 0x1F62D, 0x1F61E, 0x1F614, 0x1F612, 0x1F644, 0x1F615, 0x1F914,
            0x2757, 0x203C, 0x1F631, 0x1F928, 0x1F610, 0x1F611, 0x1F629, 0x1F62B, 0x1F4A9, 0x1F926, 0x1F937, 0x23F0, 0x2639,
            0x1F641, 0x1F61F, 0x1F623, 0x1F616, 0x1F625, 0x1F630, 0x1F628,
        ]

        static func words(_ list: String) -> Set<String> {
            Set(list.split(whereSeparator: \.isWhitespace).map(String.init))
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
