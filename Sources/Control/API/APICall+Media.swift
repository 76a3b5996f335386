extension APICall {
    /// Checks `path` names a readable file of the server's media directory (``MediaLibrary``);
    /// a server without one refuses every path.
    func requireMediaFile(_ path: String, field: String) throws(ControlError) {
        guard let media else {
            throw .invalid(field: field, reason: "the server has no media directory (--media-dir) to play files from")
        }
        _ = try media.resolve(path, field: field)
    }
}
