// Written by hand (not generated): `make swift` replaces Sources/VolunteerLedger only.
// tools/check_swift_package.py checks that every generated name used here exists.
import Foundation

/// A refusal's message in the language the user reads.
///
/// The generated `LedgerError` already conforms to `LocalizedError`, with
/// `errorDescription` generated as `String(reflecting: self)`. `String(reflecting:)` takes a
/// value's `description` when it has no `debugDescription`, so giving the error a
/// `description` here makes `errorDescription` — and `localizedDescription`, which alerts
/// show — the core's message in Chinese when the user's first preferred language is Chinese
/// (`zh`, `zh-Hans-CN`, `zh-Hant-TW` …), and in English otherwise. `code()` stays the stable
/// machine code to branch on.
extension LedgerError: CustomStringConvertible {
    /// The core's message in the user's first preferred language (`Locale.preferredLanguages`):
    /// `messageZh()` for Chinese, `messageEn()` for any other language.
    public var description: String {
        message(language: Locale.preferredLanguages.first ?? "en")
    }

    /// The core's message for a language tag (`"zh-Hans-CN"`, `"en-GB"` …): `messageZh()` when
    /// the tag is Chinese (starts with `zh`), `messageEn()` otherwise.
    public func message(language: String) -> String {
        language.lowercased().hasPrefix("zh") ? messageZh() : messageEn()
    }
}
