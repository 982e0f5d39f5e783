//! Strengths are judged more strictly than needs: a practitioner writes about support that is
//! only offered, suggested or hoped for ("I've given her details of the carers' group", "she
//! might try the lunch club", "a befriending referral"), and a strength's words also name
//! professionals ("the community nurse"). None of these is yet the person's strength, while a
//! need mentioned in a plan ("I will refer him for his drinking") still shows the need.

use super::scope::{has, has_seq, near};
use super::text::Token;

/// Words before a strength that make it an offer, a suggestion or a hope, not yet the case:
/// "I've given her details of the carers' group", "she might go to the coffee morning".
const PROSPECTS: &[&str] = &[
    "i'll",
    "we'll",
    "offered",
    "offer",
    "offering",
    "suggested",
    "suggest",
    "suggesting",
    "mentioned",
    "signposted",
    "signpost",
    "details",
    "information",
    "leaflet",
    "leaflets",
    "refer",
    "referral",
    "referred",
    "referring",
    "might",
    "could",
    "may",
    "hope",
    "hopes",
    "hoping",
    "consider",
    "considering",
    "explore",
    "try",
    "encourage",
    "encouraged",
    "encouraging",
    "waiting",
    "arranging",
    "wants",
    "would",
    "want",
    "wanting",
    "aims",
];

/// How many words (not counting fillers) back from a strength an offer or a hope reaches: "he
/// wants to leave and accepted a referral" accepted the referral.
const PROSPECT_REACH: usize = 5;

/// Words that end a professional's or a service's title. A strength's words just before one
/// name the professional ("the community nurse", "independent reviewing officer"), not the
/// person's strength.
const PROFESSIONS: &[&str] = &[
    "nurse",
    "nurses",
    "officer",
    "officers",
    "practitioner",
    "coordinator",
    "co-ordinator",
    "psychiatrist",
    "midwife",
    "therapist",
    "doctor",
    "consultant",
    "paediatrician",
];

/// Words by which a mention takes up what is offered: "accepted counselling referral".
const ACCEPTS: &[&str] = &["accepted", "accepts", "agreed", "agrees", "consented", "consents"];

/// How many words after a strength's mention a title may end.
const PROFESSION_REACH: usize = 3;

/// The practitioner's own plans, before a strength: "I will look for a youth club".
const OWN_PLANS: &[&[&str]] = &[&["i", "will"], &["we", "will"], &["i", "am", "going", "to"]];

/// Whether a strength's mention is only an offer, a referral, a hope, the practitioner's plan or
/// part of a professional's title: `opening` holds the words before the mention, `before` those
/// up to its last word (for a `together` rule), `after` the rest of its scope.
pub(crate) fn not_yet(opening: &[Token], before: &[Token], after: &[Token]) -> bool {
    // "the community nurse", "his independent reviewing officer": a professional's title.
    let title =
        after.iter().take(PROFESSION_REACH).any(|t| PROFESSIONS.contains(&t.lower.as_str()));
    // "a befriending referral", "put her in touch with the carers' group"; but a mention that
    // itself accepts ("accepted counselling referral") has taken the referral up.
    let accepting = has(&before[opening.len().min(before.len())..], ACCEPTS);
    let referral = !accepting
        && after.first().is_some_and(|t| matches!(t.lower.as_str(), "referral" | "referrals"));
    let put_in_touch = has(before, &["put", "putting"]) && has_seq(before, &[&["in", "touch"]]);
    near(opening, PROSPECTS, PROSPECT_REACH)
        || has_seq(before, OWN_PLANS)
        || referral
        || put_in_touch
        || title
}
