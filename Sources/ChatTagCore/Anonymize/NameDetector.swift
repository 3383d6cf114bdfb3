/// Finds people's names: dictionary first names in every case and diminutive, with the
/// surnames and patronymics beside them; names after cues («меня зовут», «это», «запишите на»,
/// greetings); surnames from the dictionary. Words that are also ordinary words (Вера,
/// Надежда, Роза) are masked only when the context shows a name. Staff names are kept.
struct NameDetector {
    let dictionary: NameDictionary

    /// After these the next word is a name even when it is not in the dictionary.
    static let strongCues: [[UInt64]] = [
        ["меня", "зовут"], ["зовут"], ["my", "name", "is"], ["name", "is"], ["фамилия"], ["имя"], ["на", "имя"], ["i'm"], ["i", "am"],
        ["im"], ["звать"],
    ].map { $0.map(TextTokens.hash) }
    /// After these a capitalised word is a name only when the dictionary knows it as a name or surname.
    static let namingCues: [[UInt64]] = [
        ["это"], ["this", "is"], ["it's"], ["клиент"], ["клиентка"], ["пациент"], ["пациентка"],
    ].map { $0.map(TextTokens.hash) }
    /// After these a dictionary name is a name even when it is a look-alike or lowercase.
    static let weakCues = WordSet([
        "для", "запишите", "записать", "записала", "записал", "записали", "на", "for", "dear", "hi", "hello", "hey",
        "здравствуйте", "привет", "добрый", "день", "вечер", "утро", "спасибо", "thanks", "уважаемая", "уважаемый", "дорогая",
        "дорогой", "с", "от", "передайте", "у", "мама", "дочь", "дочка", "сын", "муж", "жена", "подруга", "сестра", "брат",
    ])
    static let notNames = WordSet([
        "я", "мы", "вы", "он", "она", "они", "не", "и", "а", "но", "да", "нет", "i", "a", "the", "we", "you", "he", "she", "it",
        "is", "am", "not", "going", "from", "here", "ваш", "ваша", "по", "в", "на", "с", "к", "у", "о", "уже", "тут", "там",
        "so", "very", "just", "also", "new", "your", "our", "interested", "looking", "sorry", "thanks", "glad", "happy",
        "салон", "клиника", "студия", "администратор", "мастер", "менеджер", "бот", "поддержка", "support", "admin", "manager",
        "клиент", "клиентка", "client", "customer", "заказчик", "пациент", "пациентка",
    ])
    static let placePrepositions = WordSet(["из", "до"])
    /// Affectionate forms (Наташенька, Светочка) of names the dictionary lists without them.
    static let diminutiveEndings = [[UInt8]](utf8: ["енька", "онька", "очка", "ечка", "ушка", "юшка", "юша", "уся", "уля", "ёнок", "енок"])

    /// `keep` holds staff names' forms; `extra` the forms of this dialogue's client display names.
    func spans(_ text: TextTokens, keep: WordSet, extra: WordSet) -> [PIISpan] {
        let tokens = text.tokens
        var result: [PIISpan] = []
        var masked = [Bool](repeating: false, count: tokens.count)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if !token.isWord || masked[index] || keep.contains(token) || Self.notNames.contains(token) {
                index += 1
                continue
            }
            let strong = follows(Self.strongCues, index, text)
            let naming = follows(Self.namingCues, index, text)
            let weak = index > 0 && Self.weakCues.contains(tokens[index - 1]) && adjacent(tokens[index - 1], token, text)
            if index > 0, !strong, Self.placePrepositions.contains(tokens[index - 1]) {
                index += 1
                continue
            }
            let entry = dictionary.firstName(token)
            if entry?.ambiguous == true, token.nextByte == 0x20, token.range.upperBound + 1 < text.bytes.count,
                TextTokens.isDigit(text.bytes[token.range.upperBound + 1])
            {
                index += 1
                continue
            }
            var isName = false
            var key: String?
            if let entry {
                key = entry.canonical
                if entry.ambiguous {
                    isName =
                        strong || ((weak || naming) && token.isCapitalized) || (token.isCapitalized && neighbourIsFamilyName(index, text))
                        || (token.isCapitalized && !token.startsSentence && index > 0 && masked[index - 1])
                } else {
                    isName = token.isCapitalized || strong || weak || naming
                }
            } else if extra.contains(token) {
                isName = token.isCapitalized || strong || weak || naming
            } else if token.isCapitalized, let surname = dictionary.surname(token) {
                key = surname
                isName = true
            } else if strong && text.length(token) >= 2 {
                isName = true
            } else if token.isCapitalized, weak || naming, !token.startsSentence, isFamilyName(token, text) {
                isName = true
            } else if token.isCapitalized, weak, text.hasAnySuffix(token, Self.diminutiveEndings) {
                isName = true
            } else if token.isCapitalized, Declension.isPatronymic(text, token) {
                isName = true
            }
            guard isName else {
                index += 1
                continue
            }
            var first = index
            var last = index
            masked[index] = true
            var next = index + 1
            while next < tokens.count, next - index <= 2, tokens[next].isWord, adjacent(tokens[next - 1], tokens[next], text),
                !keep.contains(tokens[next]), continuesName(tokens[next], after: token, text)
            {
                masked[next] = true
                last = next
                next += 1
            }
            if index > 0, !masked[index - 1], tokens[index - 1].isWord, tokens[index - 1].isCapitalized, adjacent(tokens[index - 1], token, text),
                isFamilyName(tokens[index - 1], text), !keep.contains(tokens[index - 1]), !Self.notNames.contains(tokens[index - 1])
            {
                masked[index - 1] = true
                first = index - 1
            }
            let range = tokens[first].range.lowerBound..<tokens[last].range.upperBound
            result.append(PIISpan(range: range, kind: .name, key: key ?? text.foldedString(token)))
            index = last + 1
        }
        return result
    }

    /// A surname, patronymic or second name right after a first name.
    private func continuesName(_ token: TextToken, after name: TextToken, _ text: TextTokens) -> Bool {
        if Declension.isPatronymic(text, token) { return true }
        guard token.isCapitalized, !Self.notNames.contains(token) else { return false }
        if isFamilyName(token, text) { return true }
        if let entry = dictionary.firstName(token), !entry.ambiguous { return true }
        return token.isLatin && name.isLatin && !token.startsSentence && text.length(token) > 1
    }

    private func isFamilyName(_ token: TextToken, _ text: TextTokens) -> Bool {
        dictionary.surname(token) != nil || Declension.isPatronymic(text, token) || Declension.looksLikeSurname(text, token)
    }

    private func neighbourIsFamilyName(_ index: Int, _ text: TextTokens) -> Bool {
        let tokens = text.tokens
        if index + 1 < tokens.count, tokens[index + 1].isWord, tokens[index + 1].isCapitalized, adjacent(tokens[index], tokens[index + 1], text),
            isFamilyName(tokens[index + 1], text)
        {
            return true
        }
        if index > 0, tokens[index - 1].isWord, tokens[index - 1].isCapitalized, adjacent(tokens[index - 1], tokens[index], text),
            isFamilyName(tokens[index - 1], text)
        {
            return true
        }
        return false
    }

    /// True when the words right before `index` are one of the cue phrases.
    private func follows(_ cues: [[UInt64]], _ index: Int, _ text: TextTokens) -> Bool {
        let tokens = text.tokens
        for cue in cues where index >= cue.count {
            var matches = true
            for (offset, hash) in cue.enumerated() where tokens[index - cue.count + offset].hash != hash {
                matches = false
                break
            }
            if matches && adjacent(tokens[index - 1], tokens[index], text) {
                if cues == Self.namingCues {
                    let token = tokens[index]
                    return token.isCapitalized && (dictionary.firstName(token) != nil || dictionary.surname(token) != nil || isFamilyName(token, text))
                }
                return true
            }
        }
        return false
    }

    /// Two words separated only by spaces, a comma, a colon or a dash (not a sentence end).
    private func adjacent(_ left: TextToken, _ right: TextToken, _ text: TextTokens) -> Bool {
        guard right.range.lowerBound - left.range.upperBound <= 6 else { return false }
        for offset in left.range.upperBound..<right.range.lowerBound {
            let byte = text.bytes[offset]
            if byte == 0x2E || byte == 0x21 || byte == 0x3F || byte == 0x0A || byte == 0x28 || byte == 0x29 { return false }
        }
        return true
    }
}
