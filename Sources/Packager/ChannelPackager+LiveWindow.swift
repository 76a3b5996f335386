extension ChannelPackager: LiveChannelWindow {
    public var audioOnlyVariant: Bool { plan.audioOnlyVariant }

    public var listedRenditions: [any LiveRenditionWindow] { renditions }

    public func listedRendition(named name: String) -> (any LiveRenditionWindow)? {
        rendition(named: name)
    }
}
