import Control
import Events
import Foundation
import Hub
import Ingest
import Logging

/// Publishing rights: a stream key of the control plane (minted through the API, or declared by
/// the configuration), then the admission hook if one is set. The key's role picks the channel's
/// input (primary or backup). A granted channel is provisioned
/// before the publisher takes it. The grant names its key, so ``ControlPlaneSync`` can end the
/// publish when the key is revoked.
public struct StreamKeyAuthorizer: PublishAuthorizer {
    let store: ControlStore
    let admission: AdmissionHook?
    let provisioner: ChannelProvisioner
    let logger: Logger

    public init(store: ControlStore, admission: AdmissionHook?, provisioner: ChannelProvisioner, logger: Logger) {
        self.store = store
        self.admission = admission
        self.provisioner = provisioner
        self.logger = logger
    }

    public func authorize(_ request: PublishRequest) async -> PublishGrant? {
        let right: PublishRight?
        do {
            right = try await store.publishRight(forStreamKey: request.streamKey)
        } catch {
            // Fail closed: a database that does not answer refuses the publish.
            logger.error("stream key lookup failed, publish refused: \(error)")
            return nil
        }
        guard let right else { return nil }
        let channel = right.channel
        if let admission {
            let admitted = await admission.admits(AdmissionRequest(
                channel: .init(id: channel.id, name: channel.name), organisationId: channel.organisationID, streamKeyId: right.keyID,
                remoteAddress: request.remoteAddress, protocol: request.source.rawValue, createdAt: Date()))
            guard admitted else { return nil }
        }
        provisioner.provision(channel)
        let role: InputRole = switch right.role {
        case .primary: .primary
        case .backup: .backup
        case .slate: .slate
        }
        return PublishGrant(channel: channel.name, credential: right.keyID.uuidString, role: role)
    }
}
