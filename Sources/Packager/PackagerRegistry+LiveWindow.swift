extension PackagerRegistry: LiveWindowDirectory {
    public func channel(named name: String) -> (any LiveChannelWindow)? {
        packager(named: name)
    }

    public var channels: [any LiveChannelWindow] {
        all
    }
}
