/// Finds people's names: dictionary first names in every case and diminutive, with the
/// surnames and patronymics beside them; names after cues («меня зовут», «это», «запишите на»,
/// greetings); surnames from the dictionary. Words that are also ordinary words (Вера,
/// Надежда, Роза) are masked only when the context shows a name. Staff names are kept.
struct NameDetector {
    let dictionary: NameDictionary

    /// After these the next word is a name even when it is not in the dictionary.
    static let strongCues: [[String]] = [
        ["меня", "зовут"], ["зовут"], ["my", "name", "is"], ["name", "is"], ["фамилия"], ["имя"], ["на", "имя"], ["i'm"], ["i", "am"],
        ["im"], ["звать"], ["клиентка"], ["клиент"], ["пациентка"], ["пациент"], ["это"], ["this", "is"], ["it's"],
    ]
    /// After these a dictionary name is a name even when it is a look-alike or lowercase.
    static let weakCues: Set<String> = [
        "для", "запишите", "записать", "запишите-ка", "записала", "записал", "записали", "на", "for", "dear", "hi", "hello", "hey",
        "здравствуйте", "привет", "добрый", "день", "вечер", "утро", "спасибо", "thanks", "уважаемая", "уважаемый", "дорогая",
        "дорогой", "с", "от", "передайте", "у", "мама", "дочь", "дочка", "сын", "муж", "жена", "подруга", "сестра", "брат",
    ]
    /// Affectionate forms (Наташенька, Светочка) of names the dictionary lists without them.
    static let diminutiveEndings = ["енька", "онька", "очка", "ечка", "ушка", "юшка", "юша", "уся", "уля", "ёнок", "енок"]

    static let notNames: Set<String> = [
        "я", "мы", "вы", "он", "она", "они", "не", "и", "а", "но", "да", "нет", "i", "a", "the", "we", "you", "he", "she", "it",
        "is", "am", "not", "going", "from", "here", "ваш", "ваша", "ваш", "по", "в", "на", "с", "к", "у", "о", "уже", "тут", "там",
        "so", "very", "just", "also", "new", "your", "our", "interested", "looking", "sorry", "thanks", "glad", "happy",
        "салон", "клиника", "студия", "администратор", "мастер", "менеджер", "бот", "поддержка", "support", "admin", "manager",
    ]

    /// `keep` holds folded forms of staff names; `extra` holds folded words of this dialogue's
    /// client display names (masked wherever they appear).
    func spans(words: [WordToken], bytes: [UInt8], keep: Set<String>, extra: Set<String>) -> [PIISpan] {
        var result: [PIISpan] = []
        var masked = [Bool](repeating: false, count: words.count)
        var index = 0
        while index < words.count {
            let word = words[index]
            if masked[index] || keep.contains(word.folded) || Self.notNames.contains(word.folded) {
                index += 1
                continue
            }
            let strong = hasStrongCue(words, index, bytes)
            let weak = index > 0 && Self.weakCues.contains(words[index - 1].folded) && adjacent(words[index - 1], word, bytes)
            if index > 0, !strong, ["из", "до"].contains(words[index - 1].folded) {
                index += 1
                continue
            }
            if word.nextByte == 0x20, word.range.upperBound + 1 < bytes.count, WordTokens.isDigit(bytes[word.range.upperBound + 1]),
               dictionary.firstName(word.folded)?.ambiguous == true {
                index += 1
                continue
            }
            let entry = dictionary.firstName(word.folded)
            var isName = false
            var key = word.folded
            if let entry {
                key = entry.canonical
                if entry.ambiguous {
                    isName = strong || (weak && word.isCapitalized) || (word.isCapitalized && neighbourIsFamilyName(words, index, bytes))
                        || (word.isCapitalized && !word.startsSentence && index > 0 && words[index - 1].isCapitalized && masked[index - 1])
                } else {
                    isName = word.isCapitalized || strong || weak
                }
            } else if extra.contains(word.folded) {
                isName = word.isCapitalized || strong || weak
            } else if word.isCapitalized, let surname = dictionary.surname(word.folded) {
                key = surname
                isName = true
            } else if word.isCapitalized, weak, Self.diminutiveEndings.contains(where: word.folded.hasSuffix) {
                isName = true
            } else if word.isCapitalized, Declension.isPatronymic(word.folded) {
                isName = true
            } else if strong && word.folded.count >= 2 {
                isName = true
            } else if word.isCapitalized, weak, !word.startsSentence, Declension.looksLikeSurname(word.folded) || Declension.isPatronymic(word.folded) {
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
            while next < words.count, next - index <= 2, words[next].isCapitalized || Declension.isPatronymic(words[next].folded), adjacent(words[next - 1], words[next], bytes),
                  !keep.contains(words[next].folded), isFamilyName(words[next]) || dictionary.firstName(words[next].folded).map({ !$0.ambiguous }) == true || (words[next].isLatin && word.isLatin && !Self.notNames.contains(words[next].folded) && !words[next].startsSentence) {
                masked[next] = true
                last = next
                next += 1
            }
            if index > 0, !masked[index - 1], words[index - 1].isCapitalized, adjacent(words[index - 1], word, bytes), isFamilyName(words[index - 1]),
               !keep.contains(words[index - 1].folded) {
                masked[index - 1] = true
                first = index - 1
            }
            let range = words[first].range.lowerBound..<words[last].range.upperBound
            result.append(PIISpan(range: range, kind: .name, key: key))
            index = last + 1
        }
        return result
    }

    private func isFamilyName(_ word: WordToken) -> Bool {
        dictionary.surname(word.folded) != nil || Declension.isPatronymic(word.folded) || Declension.looksLikeSurname(word.folded)
    }

    private func neighbourIsFamilyName(_ words: [WordToken], _ index: Int, _ bytes: [UInt8]) -> Bool {
        if index + 1 < words.count, words[index + 1].isCapitalized, adjacent(words[index], words[index + 1], bytes), isFamilyName(words[index + 1]) { return true }
        if index > 0, words[index - 1].isCapitalized, adjacent(words[index - 1], words[index], bytes), isFamilyName(words[index - 1]) { return true }
        return false
    }

    private func hasStrongCue(_ words: [WordToken], _ index: Int, _ bytes: [UInt8]) -> Bool {
        for cue in Self.strongCues where index >= cue.count {
            var matches = true
            for (offset, part) in cue.enumerated() where words[index - cue.count + offset].folded != part {
                matches = false
                break
            }
            guard matches, adjacent(words[index - 1], words[index], bytes) else { continue }
            if cue == ["это"] || cue == ["this", "is"] || cue == ["it's"] || cue.first == "клиент" || cue.first == "клиентка" || cue.first == "пациент" || cue.first == "пациентка" {
                return words[index].isCapitalized && (dictionary.firstName(words[index].folded) != nil || dictionary.surname(words[index].folded) != nil || isFamilyName(words[index]))
            }
            return true
        }
        return false
    }

    /// Two words separated only by spaces, a comma, a colon or a dash (not a sentence end).
    private func adjacent(_ left: WordToken, _ right: WordToken, _ bytes: [UInt8]) -> Bool {
        guard right.range.lowerBound - left.range.upperBound <= 6 else { return false }
        for byte in bytes[left.range.upperBound..<right.range.lowerBound] {
            if byte == 0x2E || byte == 0x21 || byte == 0x3F || byte == 0x0A || byte == 0x28 || byte == 0x29 { return false }
        }
        return true
    }
}
