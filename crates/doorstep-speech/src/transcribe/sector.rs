//! The sector's vocabulary: acronyms and terms practitioners in UK social care, health, education,
//! housing, benefits and justice say in passing, which a general speech model has rarely heard.
//!
//! The prompt keeps as many as its token budget allows, in this order: first the acronyms that
//! are said every day and that Whisper turns into ordinary words ("CAMHS" as "cans"), then the
//! rest by how often they come up across adults' and children's work. Acronyms everyone knows
//! (NHS, GP) are kept early too: a prompt full of capitals makes Whisper write them as capitals.

/// In priority order: the prompt keeps a prefix of this list.
pub const SECTOR_TERMS: &[&str] = &[
    // Said every day, in every team.
    "GP",
    "CAMHS",
    "EHCP",
    "MASH",
    "SENCo",
    "SEN",
    "SEND",
    "PIP",
    "UC",
    "DWP",
    "OT",
    "CMHT",
    "CPN",
    "A&E",
    "NHS",
    // Children's social care.
    "CIN",
    "CP",
    "LAC",
    "CLA",
    "IRO",
    "PEP",
    "PLO",
    "ICPC",
    "RCPC",
    "SGO",
    "YOT",
    "FGC",
    "EHA",
    "TAF",
    "DSL",
    "PRU",
    "EWO",
    "NEET",
    "UASC",
    "CSE",
    "CCE",
    // Domestic abuse and safeguarding.
    "IDVA",
    "ISVA",
    "MARAC",
    "MAPPA",
    "DASH",
    "DVPO",
    "NRM",
    // Adults' care, mental health and capacity.
    "DoLS",
    "LPS",
    "MCA",
    "LPA",
    "IMCA",
    "IMHA",
    "AMHP",
    "CTO",
    "CHC",
    "DNACPR",
    "ReSPECT",
    "MDT",
    "CQC",
    "BIA",
    // Health and development.
    "SALT",
    "ADHD",
    "ASD",
    "COPD",
    "PTSD",
    "EUPD",
    "UTI",
    "HV",
    // Money and housing.
    "ESA",
    "DLA",
    "JSA",
    "HB",
    "ASB",
    "HMO",
    "PCSO",
    // Phrases.
    "Early Help",
    "care leaver",
    "pathway plan",
    "section 17",
    "section 20",
    "section 47",
    "section 117",
    "reablement",
    "Universal Credit",
    "Attendance Allowance",
    "Carer's Allowance",
    "health visitor",
    "district nurse",
    "personal adviser",
    "child protection plan",
    "core group",
    "strategy meeting",
    "respite",
    "safeguarding",
    "naloxone",
    "methadone",
    "buprenorphine",
    "cuckooing",
];

#[cfg(test)]
mod tests {
    #[test]
    fn each_term_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for term in super::SECTOR_TERMS {
            assert!(seen.insert(term.to_lowercase()), "{term} is listed twice");
        }
    }
}
