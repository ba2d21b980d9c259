// Written by hand (not generated): `make swift` replaces Sources/VolunteerLedger only.
// tools/check_swift_package.py checks that each initialiser below passes every argument on to
// the generated one, and that its defaults are the generated ones (which are the core's).
import Foundation

// The generated initialisers take their fields in alphabetical order, the order of the core's
// canonical encoding. These take them in the order a caller thinks of them — who, where, when,
// how long, what — then the optional fields with the core's defaults. Both stay available.

extension NewRecord {
    /// A service record: `id` (made by the client), who served, the organising org, when it
    /// started and ended, the minutes of actual service, where it came from; then what was
    /// done, the activity and team, if any, and the paid / job-duty / public-benefit flags, with
    /// the core's defaults. The order of Kotlin's `Records.service`.
    public init(
        id: RecordId,
        volunteer: VolunteerId,
        org: OrgId,
        start: Timestamp,
        end: Timestamp,
        minutes: Int64,
        source: RecordSource,
        content: String = "",
        activity: ActivityId? = nil,
        team: TeamId? = nil,
        paid: Bool = false,
        jobDuty: Bool = false,
        publicBenefit: Bool = true
    ) {
        self.init(
            activity: activity,
            content: content,
            end: end,
            id: id,
            jobDuty: jobDuty,
            minutes: minutes,
            org: org,
            paid: paid,
            publicBenefit: publicBenefit,
            source: source,
            start: start,
            team: team,
            volunteer: volunteer
        )
    }
}

extension NewVolunteer {
    /// A volunteer to register: the volunteer number, the full name, the identity document's
    /// kind and number (as written), and the home community, if any.
    public init(
        id: VolunteerId,
        name: String,
        identityKind: IdentityKind,
        identityNumber: String,
        homeOrg: OrgId? = nil
    ) {
        self.init(
            homeOrg: homeOrg,
            id: id,
            identityKind: identityKind,
            identityNumber: identityNumber,
            name: name
        )
    }
}

extension NewOrg {
    /// An org to register: its id, its name, its kind, and the org above it, if any. (The
    /// generated `init(id:kind:name:parent:)` remains, with `parent` required.)
    public init(
        id: OrgId,
        name: String,
        kind: OrgKind,
        parent: OrgId? = nil
    ) {
        self.init(
            id: id,
            kind: kind,
            name: name,
            parent: parent
        )
    }
}
