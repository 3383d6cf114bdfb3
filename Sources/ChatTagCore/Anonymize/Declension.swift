/// Russian case forms of first names and surnames, generated from the nominative so the
/// dictionary ships one line per name and still recognises «Марии», «с Сергеем», «Ивановой».
enum Declension {
    /// Forms of a first name or diminutive (lowercase, ё already folded to е).
    static func firstNameForms(_ name: String) -> [String] {
        var forms = [name]
        func add(_ stem: Substring, _ endings: [String]) {
            for ending in endings { forms.append(String(stem) + ending) }
        }
        if name.hasSuffix("ия") {
            add(name.dropLast(2), ["ии", "ию", "ией", "ье", "ьи", "ью", "ьей"])
        } else if name.hasSuffix("а") {
            let stem = name.dropLast()
            add(stem, ["ы", "и", "е", "у", "ой", "ей", "ою"])
        } else if name.hasSuffix("я") {
            add(name.dropLast(), ["и", "е", "ю", "ей", "ею"])
        } else if name.hasSuffix("й") {
            add(name.dropLast(), ["я", "ю", "ем", "е", "и"])
        } else if name.hasSuffix("ь") {
            add(name.dropLast(), ["я", "ю", "ем", "е", "и", "ью"])
        } else if let last = name.last, isConsonant(last) {
            var stem = Substring(name)
            if name.hasSuffix("ел"), name.count > 3 { stem = Substring(String(name.dropLast(2)) + "л") }
            if name == "лев" { stem = "льв" }
            add(stem, ["а", "у", "ом", "е"])
            if stem != Substring(name) { add(Substring(name), ["а", "у", "ом", "е"]) }
        }
        return forms
    }

    /// Forms of a surname in both genders and the plural.
    static func surnameForms(_ surname: String) -> [String] {
        var forms = [surname]
        func add(_ stem: Substring, _ endings: [String]) {
            for ending in endings { forms.append(String(stem) + ending) }
        }
        if surname.hasSuffix("ский") || surname.hasSuffix("цкий") {
            add(surname.dropLast(2), ["ого", "ому", "им", "ом", "ая", "ой", "ую", "ие", "их", "ими"])
        } else if ["ов", "ев", "ин", "ын"].contains(where: surname.hasSuffix) {
            add(Substring(surname), ["а", "у", "ым", "е", "ой", "ы", "ых", "ыми"])
        } else if surname.hasSuffix("ой") || surname.hasSuffix("ый") {
            add(surname.dropLast(2), ["ого", "ому", "ым", "ом", "ая", "ую"])
        } else if let last = surname.last, isConsonant(last) {
            add(Substring(surname), ["а", "у", "ом", "е"])
        }
        return forms
    }

    static func isConsonant(_ character: Character) -> Bool {
        "бвгджзклмнпрстфхцчшщ".contains(character)
    }

    static let patronymicEndings = [[UInt8]](utf8: [
        "ович", "евич", "овича", "евича", "овичу", "евичу", "овичем", "евичем", "овиче", "евиче",
        "ьич", "ьича", "ичем", "овна", "евна", "овны", "евны", "овне", "евне", "овну", "евну", "овной", "евной",
        "ична", "ичны", "ичне", "ичну", "ичной", "инична", "иничны",
    ])
    static let surnameEndings = [[UInt8]](utf8: [
        "ов", "ев", "ин", "ын", "ова", "ева", "ина", "ына", "ову", "еву", "ину", "ым", "овой", "евой", "иной",
        "ский", "ская", "цкий", "цкая", "ского", "ской", "цкого", "цкой", "скому", "скую", "енко", "ук", "юк", "ян", "янц",
        "дзе", "швили", "ович", "евич", "ых", "их",
        "ov", "ova", "ev", "eva", "in", "ina", "sky", "skiy", "skaya", "enko", "son", "sen", "ez", "ski", "yan", "dze",
    ])

    /// True for a word shaped like a Russian patronymic in any case.
    static func isPatronymic(_ tokens: TextTokens, _ token: TextToken) -> Bool {
        tokens.length(token) >= 12 && tokens.hasAnySuffix(token, patronymicEndings)
    }

    /// True for a word shaped like a surname (Cyrillic or Latin) in any case.
    static func looksLikeSurname(_ tokens: TextTokens, _ token: TextToken) -> Bool {
        tokens.length(token) >= (token.isLatin ? 4 : 8) && tokens.hasAnySuffix(token, surnameEndings)
    }
}
