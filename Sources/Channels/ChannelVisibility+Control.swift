import Control
import Delivery

extension ChannelVisibility {
    /// Playback's view of a control-plane channel's visibility.
    init(_ visibility: Control.Visibility) {
        self = visibility == .token ? .token : .public
    }
}
