import Crypto
import Foundation

/// Keyed pseudonyms for clients: HMAC-SHA-256 of the client's identity with a secret that
/// lives outside the database, so the same client gets the same `c-3fa2b1c4` in every
/// import and nobody holding only the database can reverse it.
public struct Pseudonymizer: Sendable {
    private let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The key from `CHATTAG_PSEUDONYM_KEY` (any text) if set; otherwise from the key file,
    /// created with 32 random bytes and mode 0600 on first use.
    public static func load(environment: [String: String], keyFile: String) throws -> Pseudonymizer {
        if let secret = environment["CHATTAG_PSEUDONYM_KEY"], !secret.isEmpty {
            return Pseudonymizer(secret: Array(secret.utf8))
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: keyFile) {
            guard let data = manager.contents(atPath: keyFile), data.count >= 16 else {
                throw AnonymizerError.keyFile(path: keyFile, reason: "unreadable or shorter than 16 bytes")
            }
            return Pseudonymizer(secret: Array(data))
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let directory = (keyFile as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        guard manager.createFile(atPath: keyFile, contents: Data(secret), attributes: [.posixPermissions: 0o600]) else {
            throw AnonymizerError.keyFile(path: keyFile, reason: "cannot create it")
        }
        return Pseudonymizer(secret: secret)
    }

    /// Hex HMAC of a text, `length` hex digits long.
    public func tag(_ text: String, length: Int = 8) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: secret))
        return String(Array(mac).hexString.prefix(length))
    }

    /// The pseudonym of a client identity (a Telegram user id, or a display name or phone
    /// normalised by the caller).
    public func client(_ identity: String) -> String { "c-" + tag("client|" + identity) }
}
