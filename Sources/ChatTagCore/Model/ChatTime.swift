/// An instant with the UTC offset it was written in, so "14:00 in Moscow" stays readable
/// as 14:00+03:00 after a round trip through the database.
///
/// `unixMillis` orders instants; `offsetSeconds` only affects how the time is printed.
public struct ChatTime: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var unixMillis: Int64
    /// The writer's offset from UTC in seconds (Moscow is 10 800).
    public var offsetSeconds: Int32

    public init(unixMillis: Int64, offsetSeconds: Int32) {
        self.unixMillis = unixMillis
        self.offsetSeconds = offsetSeconds
    }

    public static func < (lhs: ChatTime, rhs: ChatTime) -> Bool { lhs.unixMillis < rhs.unixMillis }

    /// Seconds between two instants (`self - other`).
    public func seconds(since other: ChatTime) -> Double { Double(unixMillis - other.unixMillis) / 1000 }

    /// ISO-8601 with the offset, e.g. `2025-01-05T14:00:00+03:00`; milliseconds appear only when non-zero.
    public var iso8601: String {
        let local = unixMillis + Int64(offsetSeconds) * 1000
        let millis = Int(((local % 1000) + 1000) % 1000)
        let secondsTotal = (local - Int64(millis)) / 1000
        let days = Int(floorDiv(secondsTotal, 86_400))
        let secondOfDay = Int(secondsTotal - Int64(days) * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            if width == 4 && value > 9999 { out += Array(String(value).utf8); return }
            while divisor > 0 {
                out.append(UInt8(0x30 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(date.year, 4); out.append(0x2D); digits(date.month, 2); out.append(0x2D); digits(date.day, 2)
        out.append(0x54)
        digits(secondOfDay / 3600, 2); out.append(0x3A); digits(secondOfDay / 60 % 60, 2); out.append(0x3A); digits(secondOfDay % 60, 2)
        if millis != 0 { out.append(0x2E); digits(millis, 3) }
        if offsetSeconds == 0 {
            out.append(0x5A)
        } else {
            out.append(offsetSeconds < 0 ? 0x2D : 0x2B)
            let magnitude = Int(abs(offsetSeconds))
            digits(magnitude / 3600, 2); out.append(0x3A); digits(magnitude / 60 % 60, 2)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The wall-clock date and time at the stored offset.
    public var local: (date: CivilDate, secondOfDay: Int) {
        let localSeconds = floorDiv(unixMillis, 1000) + Int64(offsetSeconds)
        let days = Int(floorDiv(localSeconds, 86_400))
        return (CivilDate(daysSinceEpoch: days), Int(localSeconds - Int64(days) * 86_400))
    }

    /// Parses ISO-8601 (`2025-01-05T14:00:00+03:00`, `…Z`, `… 14:00`, fractional seconds).
    /// A time without an offset is read in `zone`. Returns nil when the text is not such a time.
    public static func parseISO8601(_ text: Substring, zone: ZoneResolver) -> ChatTime? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else { return nil }
        guard index < bytes.count, bytes[index] == 84 || bytes[index] == 32 || bytes[index] == 116 else { return nil }
        index += 1
        guard let hour = number(2), expect(58), let minute = number(2) else { return nil }
        var second = 0
        var millis = 0
        if expect(58) {
            guard let parsed = number(2) else { return nil }
            second = parsed
            if expect(46) || expect(44) {
                var scale = 100
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    millis += Int(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let civil = CivilDate(year: year, month: month, day: day)
        let localSeconds = Int64(civil.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if index == bytes.count {
            let offset = zone.offset(forLocalSeconds: localSeconds)
            return ChatTime(unixMillis: (localSeconds - Int64(offset)) * 1000 + Int64(millis), offsetSeconds: offset)
        }
        var offset: Int32 = 0
        if bytes[index] == 90 || bytes[index] == 122 {
            index += 1
        } else if bytes[index] == 43 || bytes[index] == 45 {
            let negative = bytes[index] == 45
            index += 1
            guard let offsetHours = number(2) else { return nil }
            _ = expect(58)
            let offsetMinutes = number(2) ?? 0
            offset = Int32(offsetHours * 3600 + offsetMinutes * 60) * (negative ? -1 : 1)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        return ChatTime(unixMillis: (localSeconds - Int64(offset)) * 1000 + Int64(millis), offsetSeconds: offset)
    }
}

/// A proleptic Gregorian calendar date, converted with Howard Hinnant's day algorithms
/// (no Calendar or DateFormatter on the hot import path).
public struct CivilDate: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whether the fields name a real calendar day (no 31 April, 29 February only in leap years).
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return CivilDate(daysSinceEpoch: daysSinceEpoch) == self
    }
}

func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
