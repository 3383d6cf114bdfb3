extension ChatTransport {
    /// Starts closing the transport's connections without waiting (the process usually ends
    /// right after). Transports without connections do nothing.
    public func closeConnections() {
        (self as? ClosableTransport)?.closeWithoutWaiting()
    }
}

/// A transport that holds connections to close when a run is over.
public protocol ClosableTransport: ChatTransport {
    func closeWithoutWaiting()
}
