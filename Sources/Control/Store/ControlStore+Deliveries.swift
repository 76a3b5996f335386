import FluentKit
import Foundation
import SQLKit

extension ControlStore {
    /// Queues `event` for every active webhook of `organisation` subscribed to it, and returns the
    /// deliveries created (none if no webhook matches). They are due at once. The server's own
    /// call: no scope.
    public func enqueue(
        _ event: WebhookEvent, organisation: UUID, payload: String, now: Date = Date()
    ) async throws(ControlError) -> [WebhookDelivery] {
        let payload = try Validate.payload(payload)
        return try await transaction("enqueue \(event.rawValue)") { db in
            try await Self.insertDeliveries(event, organisation: organisation, payload: payload, now: now, on: db)
        }
    }

    /// The body of ``enqueue(_:organisation:payload:now:)``, for a caller that queues deliveries
    /// in the transaction of the change they announce. `payload` is validated.
    static func insertDeliveries(
        _ event: WebhookEvent, organisation: UUID, payload: String, now: Date, on db: any Database
    ) async throws -> [WebhookDelivery] {
        let hooks = try await WebhookRow.query(on: db)
            .filter(\.$organisationID == organisation)
            .filter(\.$active == true)
            .all()
        var created: [WebhookDelivery] = []
        for hook in hooks where try hook.decodedEvents().contains(event) {
            let row = WebhookDeliveryRow(
                id: UUID(), webhookID: try hook.requireID(), organisationID: organisation,
                event: event, payload: payload, now: now
            )
            try await row.create(on: db)
            created.append(try row.record())
        }
        return created
    }

    /// Pending deliveries whose `nextAttemptAt` is not after `now`, of active webhooks, oldest due
    /// first, at most `limit` (in ``ControlLimits/pageLimit``), with the URL and secret to send
    /// them with. Reading does not claim them: senders use ``claimDueDeliveries(now:limit:lease:)``.
    public func dueDeliveries(now: Date = Date(), limit: Int) async throws(ControlError) -> [DueDelivery] {
        guard ControlLimits.pageLimit.contains(limit) else {
            throw .invalid(field: "limit", reason: "must be \(ControlLimits.pageLimit.lowerBound)...\(ControlLimits.pageLimit.upperBound)")
        }
        return try await perform("due deliveries") {
            let rows = try await WebhookDeliveryRow.query(on: database)
                .join(WebhookRow.self, on: \WebhookDeliveryRow.$webhookID == \WebhookRow.$id)
                .filter(\.$deliveredAt == nil)
                .filter(\.$gaveUpAt == nil)
                .filter(\.$nextAttemptAt <= now)
                .filter(WebhookRow.self, \.$active == true)
                .sort(\.$nextAttemptAt)
                .sort(\.$id)
                .limit(limit)
                .all()
            return try rows.map { row in
                let hook = try row.joined(WebhookRow.self)
                return DueDelivery(delivery: try row.record(), url: hook.url, secret: Secret(hook.secret))
            }
        }
    }

    /// When the next pending delivery of an active webhook is due (claimed ones: when their claim
    /// ends), or nil if none is pending. Senders sleep until then.
    public func nextDeliveryDue() async throws(ControlError) -> Date? {
        try await perform("next delivery due") {
            try await WebhookDeliveryRow.query(on: database)
                .join(WebhookRow.self, on: \WebhookDeliveryRow.$webhookID == \WebhookRow.$id)
                .filter(\.$deliveredAt == nil)
                .filter(\.$gaveUpAt == nil)
                .filter(WebhookRow.self, \.$active == true)
                .sort(\.$nextAttemptAt)
                .first()?
                .nextAttemptAt
        }
    }

    /// Takes the due deliveries (as ``dueDeliveries(now:limit:)``) that no other sender took:
    /// each is claimed by moving its `nextAttemptAt` to `now + lease` in one conditional UPDATE,
    /// so of several servers on one database exactly one sends it. A sender that dies with a claim
    /// leaves the delivery due again once the lease has passed; a delivery may then be sent twice,
    /// which receivers tell by its `Antenne-Delivery` id (delivery is at least once).
    public func claimDueDeliveries(now: Date = Date(), limit: Int, lease: Double) async throws(ControlError) -> [DueDelivery] {
        let due = try await dueDeliveries(now: now, limit: limit)
        let until = now.addingTimeInterval(lease).millisecondRounded
        var claimed: [DueDelivery] = []
        for candidate in due {
            let won = try await perform("claim delivery") {
                guard let sql = database as? any SQLDatabase else {
                    throw ControlError.database("claim delivery: the driver does not speak SQL")
                }
                // PostgreSQL re-checks the WHERE on a row another transaction just changed, and
                // SQLite runs one writer at a time: the second of two claims matches no row.
                let rows = try await sql.update(WebhookDeliveryRow.schema)
                    .set("next_attempt_at", to: until)
                    .where("id", .equal, candidate.delivery.id)
                    .where("next_attempt_at", .lessThanOrEqual, now)
                    .where("delivered_at", .is, SQLLiteral.null)
                    .where("gave_up_at", .is, SQLLiteral.null)
                    .returning("id")
                    .all()
                return rows.count == 1
            }
            if won { claimed.append(candidate) }
        }
        return claimed
    }

    /// Records a successful delivery.
    @discardableResult
    public func markDelivered(id: UUID, at now: Date = Date()) async throws(ControlError) -> WebhookDelivery {
        try await perform("mark delivered") {
            guard let row = try await WebhookDeliveryRow.find(id, on: database) else {
                throw ControlError.notFound("webhook delivery")
            }
            guard row.deliveredAt == nil else { return try row.record() }
            row.deliveredAt = now.millisecondRounded
            try await row.update(on: database)
            return try row.record()
        }
    }

    /// Records a failed attempt: counts it, keeps `error` (cut to ``ControlLimits/webhookErrorLength``)
    /// and schedules the next attempt at `nextAttemptAt` (see ``WebhookBackoff``). After
    /// ``ControlLimits/webhookMaximumAttempts`` failures the delivery is given up (`gaveUpAt`) and
    /// is never due again.
    @discardableResult
    public func markFailed(
        id: UUID, nextAttemptAt: Date, error: String, at now: Date = Date()
    ) async throws(ControlError) -> WebhookDelivery {
        let error = String(error.prefix(ControlLimits.webhookErrorLength))
        return try await perform("mark failed") {
            guard let row = try await WebhookDeliveryRow.find(id, on: database) else {
                throw ControlError.notFound("webhook delivery")
            }
            guard row.deliveredAt == nil, row.gaveUpAt == nil else { return try row.record() }
            row.attempts += 1
            row.lastError = error
            row.nextAttemptAt = nextAttemptAt.millisecondRounded
            if row.attempts >= ControlLimits.webhookMaximumAttempts {
                row.gaveUpAt = now.millisecondRounded
            }
            try await row.update(on: database)
            return try row.record()
        }
    }

    /// A webhook's deliveries, for the API's delivery log.
    public func deliveries(
        webhook: UUID, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<WebhookDelivery> {
        let exists = try await perform("list deliveries") {
            try await scoped(WebhookRow.query(on: database), scope).filter(\.$id == webhook).count() == 1
        }
        guard exists else { throw .notFound("webhook") }
        let query = scoped(WebhookDeliveryRow.query(on: database), scope).filter(\.$webhookID == webhook)
        return try await self.page(query, page, "list deliveries") { try $0.record() }
    }
}
