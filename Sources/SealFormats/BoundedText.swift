extension String {
    /// This text as it may appear in an error message: whole when short, otherwise its
    /// first `limit` characters followed by `…(N bytes)`.
    ///
    /// Names and keys in errors come from the file being read; a corrupt length once
    /// copied a 103 MB "key" into a message, which then took minutes to format and
    /// print. Every string an error carries from a file passes through this.
    public func boundedForMessage(_ limit: Int = 200) -> String {
        let bytes = utf8.count
        guard bytes > limit else { return self }
        let head = prefix(limit)
        guard head.utf8.count < bytes else { return self }
        return "\(head)…(\(bytes) bytes)"
    }
}
