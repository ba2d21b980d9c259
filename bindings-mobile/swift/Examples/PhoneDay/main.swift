// A phone's day, in Swift: a team leader records service offline on the phone's own ledger,
// syncs it to the district's ledger when the network is back, and a volunteer looks up hours,
// stars and rank. The Kotlin twin is examples/kotlin (run by `make test-kotlin`); this one is
// written against the generated API but has not been compiled here (no Swift toolchain on the
// machines this project is built on): `swift run PhoneDay` on a Mac, see the README.
import Foundation
import VolunteerLedger

/// 2015-06-`day` at `hour`:00 in China Standard Time.
func june(_ day: Int, _ hour: Int) -> Date {
    var c = DateComponents()
    c.year = 2015
    c.month = 6
    c.day = day
    c.hour = hour
    c.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
    return Calendar(identifier: .gregorian).date(from: c)!
}

/// A ledger with community C1, its recorder `leader` and volunteer V1. The server and the phone
/// are set up alike; the server decides everything again when the records arrive. The phone's
/// is a device ledger: it keeps the identity number's mask only, never the number.
func ledger(_ id: String, device: Bool) throws -> Ledger {
    let config = try defaultLedgerConfig(ledgerId: id, name: "某区", platformAdmin: "admin")
    let l = try device ? Ledger.inMemoryDevice(config: config) : Ledger.inMemory(config: config)
    try l.setClock(clock: .fixed(june(12, 18)))
    _ = try l.registerOrg(actor: "admin", org: NewOrg(id: "C1", name: "学田社区", kind: .community))
    _ = try l.grantRole(actor: "admin", grantee: "leader", role: .recorder("C1"))
    _ = try l.registerVolunteer(actor: "admin", volunteer: NewVolunteer(
        id: "V1", name: "张三", identityKind: .residentId, identityNumber: "11010519491231002X", homeOrg: "C1"))
    return l
}

do {
    let server = try ledger("district", device: false)
    let phone = try ledger("phone-1", device: true)
    // The server signs its sync receipts; the phone applies only receipts signed by its key.
    _ = try server.setSigningKey(actor: "admin", seed: Data(repeating: 7, count: 32))
    try phone.trustSyncServer(ledgerId: "district", publicKey: try server.publicKey() ?? "")

    // Offline: three visits to the elderly, recorded on the phone with the phone's own ids.
    for (n, day) in [2, 5, 9].enumerated() {
        let r = NewRecord(id: "phone-1-\(n + 1)", volunteer: "V1", org: "C1", start: june(day, 9),
                          end: june(day, 11), minutes: 120, source: .entry, content: "助老服务")
        _ = try phone.addRecord(actor: "leader", record: r)
    }
    let waiting = try phone.syncStatus(actor: "leader").unsent
    print("offline: \(waiting) records waiting")

    // Online: the batch goes up as JSON, the receipt comes back as JSON.
    let outbox = try phone.syncBatch(actor: "leader", limit: 100)
    let batch = syncBatchToJson(batch: outbox)
    let receipt = try server.importSyncJson(sender: "leader", batch: batch)
    let answer = syncReceiptToJson(receipt: receipt)
    let applied = try phone.applySyncReceipt(receipt: syncReceiptFromJson(text: answer))
    print("synced: \(applied.acknowledged) acknowledged, \(applied.refused.count) refused")
    // The phone keeps the server's signed head from the receipt: every acknowledged record's
    // proof led to it, so the phone can show later that the server's log held them.
    if let head = try phone.syncServerHead() {
        print("kept the server's signed head: \(head.size) entries, root \(head.rootHash.prefix(16))…")
    }

    // The volunteer looks themselves up on the server.
    let stars = try server.starSummary(volunteer: "V1")
    let standing = try server.standing(volunteer: "V1", period: "2015-06", scope: .all)
    print("V1: \(stars.totalMinutes / 60) h, \(stars.level) stars, "
        + "\((stars.minutesToNext ?? 0) / 60) h to the next; "
        + "rank \(standing.rank.map { String($0) } ?? "-") of \(standing.ranked) in 2015-06")
} catch let error as LedgerError {
    // The message in the user's language (LedgerError+Localized.swift), and the stable code.
    print("refused (\(error.code())): \(error.localizedDescription)")
    exit(1)
} catch {
    print("failed: \(error)")
    exit(1)
}
