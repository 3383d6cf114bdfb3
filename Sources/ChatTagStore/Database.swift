import CSQLite
import ChatTagCore

#if canImport(Glibc)
import Glibc
#endif

/// A failure reported by SQLite, with its code, message and the SQL that caused it.
public struct DatabaseError: ChatTagError {
    public var code: Int32
    public var message: String
    public var sql: String?
    public var path: String

    /// Busy: another chattag holds the database (75); anything else is unexpected (70).
    public var exitCode: ExitStatus {
        code == SQLITE_BUSY || code == SQLITE_LOCKED ? .busy : .internalError
    }

    public var description: String {
        var text = "\(path): database error \(code): \(message)"
        if let sql { text += " (in: \(sql.prefix(120)))" }
        if code == SQLITE_BUSY || code == SQLITE_LOCKED {
            text += ". Another chattag is using this database; wait for it to finish and run the command again."
        } else if code == SQLITE_CANTOPEN || code == SQLITE_PERM || code == SQLITE_READONLY {
            text += ". Check that the folder exists and that you may write to it (or pass another --db)."
        } else if code == SQLITE_CORRUPT || code == SQLITE_NOTADB {
            text += ". The file is not a chattag database or is damaged; pass another --db or restore a backup."
        } else {
            text += "."
        }
        return text
    }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection (system libsqlite3) in WAL mode with foreign keys on. The file is
/// created with mode 0600: it holds anonymized chats, but chats all the same.
public final class Database {
    public let path: String
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]

    public init(path: String) throws {
        self.path = path
        if path != ":memory:" {
            let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
            if descriptor < 0 {
                throw DatabaseError(code: SQLITE_CANTOPEN, message: String(cString: strerror(errno)), sql: nil, path: path)
            }
            close(descriptor)
        }
        var connection: OpaquePointer?
        let status = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(connection)
            throw DatabaseError(code: status, message: message, sql: nil, path: path)
        }
        handle = connection
        sqlite3_busy_timeout(handle, 10_000)
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ status: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: status, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? ""
            sqlite3_free(message)
            throw DatabaseError(code: status, message: text, sql: sql, path: path)
        }
    }

    /// A cached prepared statement, reset and ready to bind.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(database: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in one read transaction: many small queries share one snapshot and one
    /// set of locks instead of taking and dropping them per query.
    public func reading<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// Rows of a query as dictionaries of column name to value (for small result sets).
    public func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[String: SQLValue]] {
        let statement = try statement(sql)
        try statement.bind(values)
        defer { statement.reset() }
        var result: [[String: SQLValue]] = []
        while try statement.step() {
            var row: [String: SQLValue] = [:]
            for column in 0..<statement.columnCount { row[statement.columnName(column)] = statement.value(column) }
            result.append(row)
        }
        return result
    }

    public var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// A value read from or bound to SQLite.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case let .integer(value): return String(value)
        case let .real(value): return String(value)
        case let .text(value): return value
        }
    }

    public var text: String? {
        if case let .text(value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        if case let .integer(value) = self { return value }
        return nil
    }

    /// The value as a number, whether SQLite stored it as an integer or a real.
    public var number: Double? {
        switch self {
        case let .integer(value): return Double(value)
        case let .real(value): return value
        default: return nil
        }
    }
}

/// A prepared statement. Bind with 1-based positions through ``bind(_:)``.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    let sql: String

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else { throw database.error(status, sql: sql) }
        handle = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Ends the statement's read, so the connection holds no snapshot open (a connection with
    /// an open read cannot start writing once another connection has written).
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func bind(_ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(handle, index)
            case let .integer(number): status = sqlite3_bind_int64(handle, index, number)
            case let .real(number): status = sqlite3_bind_double(handle, index, number)
            case let .text(text):
                status =
                    text.utf8.withContiguousStorageIfAvailable { buffer in
                        sqlite3_bind_text(handle, index, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(buffer.count), transient)
                    } ?? sqlite3_bind_text(handle, index, text, -1, transient)
            }
            guard status == SQLITE_OK else { throw database.error(status, sql: sql) }
        }
    }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let status = sqlite3_step(handle)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        throw database.error(status, sql: sql)
    }

    /// Binds and runs a statement that returns no rows.
    public func run(_ values: [SQLValue]) throws {
        try bind(values)
        try step()
        sqlite3_reset(handle)
    }

    public var columnCount: Int32 { sqlite3_column_count(handle) }
    public func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }

    public func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite3_column_text(handle, index) else { return .null }
            return .text(String(cString: text))
        }
    }

    public func text(_ index: Int32) -> String? { value(index).text }
}
