//! A challenge set written apart from the labelled notes: short snippets in many voices, each
//! with the tie it should yield and how that tie's quality and support should be judged. It
//! checks that the rules read quality and direction from the way things are said in general,
//! not from the phrasings of any one set of notes.

use doorstep_ecomap::{Extractor, Lexicon, SuggestedTie};

/// One snippet: the person at the centre, the text, a word of the tie's `who` (or its role),
/// and the expected quality and support, as the eval files spell them.
struct Case {
    subject: &'static str,
    text: &'static str,
    who: &'static str,
    quality: &'static str,
    support: &'static str,
}

const fn c(
    subject: &'static str,
    text: &'static str,
    who: &'static str,
    quality: &'static str,
    support: &'static str,
) -> Case {
    Case { subject, text, who, quality, support }
}

const CASES: &[Case] = &[
    // Frequency.
    c("Joan Platt", "Her daughter Karen pops in most days.", "karen", "strong", "to_subject"),
    c("Joan Platt", "Her son Mark visits once in a blue moon.", "mark", "tenuous", "none"),
    c(
        "Joan Platt",
        "She hasn't seen her brother Tony since the funeral.",
        "tony",
        "broken",
        "none",
    ),
    c(
        "Joan Platt",
        "Her niece Claire rings every Sunday for a chat.",
        "claire",
        "strong",
        "to_subject",
    ),
    c("Ron Hale", "His son visits every couple of months.", "son", "tenuous", "none"),
    c("Ron Hale", "His daughter comes over on Saturdays.", "daughter", "moderate", "to_subject"),
    c("Ron Hale", "Ron sees his grandson a few times a year.", "grandson", "tenuous", "none"),
    c("Ron Hale", "His brother phones him now and again.", "brother", "tenuous", "none"),
    c(
        "Ron Hale",
        "His nephew drops in twice a week and does the bins.",
        "nephew",
        "moderate",
        "to_subject",
    ),
    c("Mary Oduya", "Mary's sister only visits at Christmas.", "sister", "tenuous", "none"),
    c("Mary Oduya", "Her friend Pat calls round every morning.", "pat", "strong", "to_subject"),
    c("Mary Oduya", "Her son hardly ever visits.", "son", "tenuous", "none"),
    c(
        "Kezia Bell",
        "Her mum, Denise, has moved into the spare room and does the 2am feed.",
        "denise",
        "strong",
        "to_subject",
    ),
    c(
        "Mary Oduya",
        "she said her daughter comes most weekends",
        "daughter",
        "strong",
        "to_subject",
    ),
    c(
        "Mary Oduya",
        "Her grandson Leon comes round once a fortnight.",
        "leon",
        "moderate",
        "to_subject",
    ),
    c("Dev Patel", "Dev's cousin Ravi visits rarely.", "ravi", "tenuous", "none"),
    c(
        "Dev Patel",
        "His brother lives in Canada and they speak a couple of times a year.",
        "brother",
        "tenuous",
        "none",
    ),
    // Closeness and reliance.
    c("Joan Platt", "Her daughter Karen is her rock.", "karen", "strong", "to_subject"),
    c(
        "Joan Platt",
        "She says she couldn't manage without her neighbour Sue.",
        "sue",
        "strong",
        "to_subject",
    ),
    c("Ron Hale", "Ron and his brother Jim are very close.", "jim", "strong", "both"),
    c("Ron Hale", "He gets on well with his neighbour Derek.", "derek", "moderate", "?"),
    c("Mary Oduya", "Her friend Grace is always there for her.", "grace", "strong", "to_subject"),
    c("Mary Oduya", "Her daughter is very supportive.", "daughter", "strong", "to_subject"),
    c("Tyler Reed", "Tyler adores his nan.", "nan", "strong", "?"),
    c("Tyler Reed", "His nan is the one person he trusts.", "nan", "strong", "to_subject"),
    c("Amira Khan", "Amira's aunt is like a second mum to her.", "aunt", "strong", "to_subject"),
    c("Amira Khan", "Her best friend Zara has been brilliant.", "zara", "strong", "both"),
    c("Ron Hale", "His son is very good to him.", "son", "strong", "to_subject"),
    c("Ron Hale", "Ron relies on his daughter for everything.", "daughter", "strong", "to_subject"),
    c("Ron Hale", "His daughter is a great help.", "daughter", "strong", "to_subject"),
    // Conflict, fear, worry, harm.
    c("Joan Platt", "She is frightened of her grandson Kyle.", "kyle", "stressful", "none"),
    c("Joan Platt", "She and her son argue a lot.", "son", "stressful", "?"),
    c(
        "Tyler Reed",
        "His stepdad kicks off when he has had a drink.",
        "stepdad",
        "stressful",
        "none",
    ),
    c("Mary Oduya", "Her brother causes her a lot of stress.", "brother", "stressful", "none"),
    c(
        "Amira Khan",
        "Mum is worried about his influence; his friend Jordan is older.",
        "jordan",
        "stressful",
        "none",
    ),
    c(
        "Dev Patel",
        "Dev owes his cousin money and is anxious about it.",
        "cousin",
        "stressful",
        "none",
    ),
    c(
        "Joan Platt",
        "Her neighbour Bill plays loud music at night and she finds it very stressful.",
        "bill",
        "stressful",
        "none",
    ),
    c("Tyler Reed", "Tyler says his dad hits him.", "dad", "stressful", "none"),
    c(
        "Mary Oduya",
        "Her ex-partner keeps turning up at the house.",
        "ex-partner",
        "stressful",
        "none",
    ),
    c("Ron Hale", "The landlord has threatened to evict him.", "landlord", "stressful", "none"),
    c(
        "Amira Khan",
        "Her sister is very critical of her and makes her feel worthless.",
        "sister",
        "stressful",
        "none",
    ),
    c("Tyler Reed", "He is being bullied by a boy called Mason.", "mason", "stressful", "none"),
    c(
        "Mary Oduya",
        "Her daughter-in-law is always having a go at her.",
        "daughter-in-law",
        "stressful",
        "none",
    ),
    c(
        "Ron Hale",
        "Ron is scared of his son when he has been drinking.",
        "son",
        "stressful",
        "none",
    ),
    c("Joan Platt", "Her nephew keeps asking her for money.", "nephew", "stressful", "none"),
    // Contact ended.
    c("Ron Hale", "Ron is estranged from his daughter.", "daughter", "broken", "none"),
    c("Mary Oduya", "No contact with her father since 2019.", "father", "broken", "none"),
    c("Mary Oduya", "Her husband passed away last year.", "husband", "broken", "none"),
    c("Dev Patel", "His best friend moved away and they lost touch.", "friend", "broken", "none"),
    c(
        "Amira Khan",
        "There is a non-molestation order against her ex-partner.",
        "ex-partner",
        "broken",
        "none",
    ),
    c("Joan Platt", "Her son Darren hasn't spoken to her in years.", "darren", "broken", "none"),
    c("Tyler Reed", "Tyler hasn't seen his dad since he was five.", "dad", "broken", "none"),
    c("Ron Hale", "His wife died in March.", "wife", "broken", "none"),
    c(
        "Mary Oduya",
        "She fell out with her sister years ago and they no longer speak.",
        "sister",
        "broken",
        "none",
    ),
    c("Dev Patel", "He stopped going to the mosque after the move.", "mosque", "broken", "none"),
    c("Amira Khan", "Her father disowned her.", "father", "broken", "none"),
    c("Joan Platt", "She lost her husband two years ago.", "husband", "broken", "none"),
    // Fragile.
    c("Tyler Reed", "Contact with his dad is on and off.", "dad", "tenuous", "none"),
    c("Mary Oduya", "Her son is not always reliable.", "son", "tenuous", "?"),
    c("Amira Khan", "She has a new boyfriend, Sam; it's early days.", "sam", "tenuous", "?"),
    c(
        "Tyler Reed",
        "His mum often cancels contact at the last minute.",
        "mum",
        "stressful",
        "none",
    ),
    c("Ron Hale", "His son promises to visit but rarely turns up.", "son", "tenuous", "none"),
    c("Dev Patel", "The relationship with his brother is fragile.", "brother", "tenuous", "none"),
    c("Mary Oduya", "Her friendship with Linda is a bit up and down.", "linda", "tenuous", "?"),
    // Direction: the person caring.
    c(
        "Joan Platt",
        "She looks after her husband Frank, who has dementia.",
        "frank",
        "strong",
        "from_subject",
    ),
    c("Ron Hale", "Ron does his mum's shopping every week.", "mum", "?", "from_subject"),
    c("Amira Khan", "Amira is her dad's carer.", "dad", "?", "from_subject"),
    c("Ron Hale", "He walks his neighbour's dog every morning.", "neighbour", "?", "from_subject"),
    c("Tyler Reed", "Tyler helps his mum with his little sisters.", "mum", "?", "from_subject"),
    c(
        "Mary Oduya",
        "She cares for her son Jacob, who has autism.",
        "jacob",
        "strong",
        "from_subject",
    ),
    c(
        "Mary Oduya",
        "Mary collects her grandchildren from school every day.",
        "grandchildren",
        "strong",
        "from_subject",
    ),
    c(
        "Dev Patel",
        "Dev has been caring for his father since the stroke.",
        "father",
        "strong",
        "from_subject",
    ),
    c(
        "Amira Khan",
        "She babysits for her sister at weekends.",
        "sister",
        "moderate",
        "from_subject",
    ),
    c("Joan Platt", "Joan is the main carer for her husband.", "husband", "strong", "from_subject"),
    c(
        "Ron Hale",
        "Ron takes his brother to his hospital appointments.",
        "brother",
        "?",
        "from_subject",
    ),
    c(
        "Mary Oduya",
        "She cooks for her elderly neighbour most evenings.",
        "neighbour",
        "strong",
        "from_subject",
    ),
    // Mutual.
    c("Joan Platt", "She and her neighbour Sue help each other out.", "sue", "?", "both"),
    c("Ron Hale", "He and his friend Ted keep an eye on each other.", "ted", "strong", "both"),
    c("Mary Oduya", "Mary and her sister support one another.", "sister", "strong", "both"),
    c("Amira Khan", "Amira and her cousin look out for each other.", "cousin", "strong", "both"),
    c(
        "Dev Patel",
        "He and his flatmate share the cooking and help each other.",
        "flatmate",
        "?",
        "both",
    ),
    // Services that help versus services only involved.
    c(
        "Joan Platt",
        "Carers come in four times a day to help her wash and dress.",
        "carers",
        "strong",
        "to_subject",
    ),
    c(
        "Ron Hale",
        "The district nurse visits weekly to dress his leg.",
        "nurse",
        "moderate",
        "to_subject",
    ),
    c("Mary Oduya", "The GP is aware.", "gp", "moderate", "to_subject"),
    c("Dev Patel", "His probation officer is involved.", "probation", "moderate", "to_subject"),
    c("Tyler Reed", "School are aware of the concerns.", "school", "moderate", "to_subject"),
    c("Amira Khan", "The housing officer has not returned her calls.", "housing", "tenuous", "?"),
    c("Ron Hale", "The food bank has been a lifeline.", "food bank", "strong", "to_subject"),
    c(
        "Mary Oduya",
        "Her social worker has been really helpful.",
        "social worker",
        "strong",
        "to_subject",
    ),
    c(
        "Dev Patel",
        "He goes to a drug and alcohol service every fortnight.",
        "drug",
        "moderate",
        "to_subject",
    ),
    c(
        "Joan Platt",
        "Joan goes to the day centre on Tuesdays and loves it.",
        "day centre",
        "moderate",
        "to_subject",
    ),
    c(
        "Tyler Reed",
        "His teacher Mrs Okafor is brilliant with him.",
        "okafor",
        "strong",
        "to_subject",
    ),
    c("Ron Hale", "He rarely goes to the GP.", "gp", "tenuous", "?"),
    // Quality said a sentence later with a pronoun.
    c("Joan Platt", "Her son lives nearby. He's very good to her.", "son", "strong", "to_subject"),
    c(
        "Ron Hale",
        "His daughter lives in Leeds. She rings him every night.",
        "daughter",
        "strong",
        "to_subject",
    ),
    c(
        "Mary Oduya",
        "Her brother lives round the corner. She is frightened of him.",
        "brother",
        "stressful",
        "none",
    ),
    c(
        "Tyler Reed",
        "Tyler's dad lives in Spain. He hasn't been in touch for two years.",
        "dad",
        "broken",
        "none",
    ),
    c(
        "Amira Khan",
        "Amira has an older sister, Nadia. They are very close.",
        "nadia",
        "strong",
        "both",
    ),
    c(
        "Dev Patel",
        "Dev has a friend called Sam from college. They meet up now and then.",
        "sam",
        "tenuous",
        "?",
    ),
    c(
        "Joan Platt",
        "Her neighbour Irene is 80. She pops in every day to check on Joan.",
        "irene",
        "strong",
        "to_subject",
    ),
    c(
        "Ron Hale",
        "His son Paul is in the army. He hasn't seen him since Christmas.",
        "paul",
        "tenuous",
        "?",
    ),
    // Contrast.
    c("Mary Oduya", "She loves her sister but they fall out a lot.", "sister", "stressful", "?"),
    c("Ron Hale", "His son used to visit a lot but now he rarely comes.", "son", "tenuous", "none"),
    c(
        "Amira Khan",
        "Her mum can be difficult but she is there when it matters.",
        "mum",
        "?",
        "to_subject",
    ),
    c(
        "Tyler Reed",
        "He misses his dad but they haven't spoken since the summer.",
        "dad",
        "broken",
        "none",
    ),
    // Spoken voice.
    c(
        "Joan Platt",
        "oh our Karen she's ever so good she's round every day",
        "karen",
        "strong",
        "to_subject",
    ),
    c("Ron Hale", "me lad doesn't bother with me anymore", "lad", "tenuous", "none"),
    c(
        "Mary Oduya",
        "my sister she drives me mad to be honest we're always rowing",
        "sister",
        "stressful",
        "none",
    ),
    c("Tyler Reed", "my nan's the best she always sorts me out", "nan", "strong", "to_subject"),
    c("Dev Patel", "me and my brother we don't talk no more", "brother", "broken", "none"),
    c(
        "Joan Platt",
        "the lady next door she's good as gold, gets my bits from the shop",
        "next door",
        "strong",
        "to_subject",
    ),
    c("Ron Hale", "I do me mum's shopping for her every Friday", "mum", "?", "from_subject"),
    c(
        "Mary Oduya",
        "I look after my husband, he can't do much now",
        "husband",
        "?",
        "from_subject",
    ),
    c("Amira Khan", "my mate Jess, we look out for each other", "jess", "strong", "both"),
    c("Tyler Reed", "I see my dad every other weekend", "dad", "moderate", "?"),
    c("Dev Patel", "my uncle's alright, I see him now and then", "uncle", "tenuous", "?"),
    c(
        "Joan Platt",
        "my son's in Australia so I only see him on video calls",
        "son",
        "tenuous",
        "?",
    ),
    c(
        "Ron Hale",
        "the carers are lovely, I don't know what I'd do without them",
        "carers",
        "strong",
        "to_subject",
    ),
    c(
        "Mary Oduya",
        "my ex is still sending me messages and it frightens me",
        "ex",
        "stressful",
        "none",
    ),
    c("Amira Khan", "my dad, I'm scared of him when he's angry", "dad", "stressful", "none"),
    c(
        "Tyler Reed",
        "my best mate moved to Wales so I don't see him now",
        "mate",
        "tenuous",
        "none",
    ),
    // A service named by a compound noun after its determiner.
    c(
        "Pat Rowe",
        "She sees the stoma nurse every week and says she is brilliant.",
        "stoma",
        "strong",
        "to_subject",
    ),
    c(
        "Pat Rowe",
        "He gets his clothes from the homeless support charity once a month.",
        "charity",
        "tenuous",
        "to_subject",
    ),
    // Children named after "her children", and a child who lives with someone else.
    c(
        "Jo Bell",
        "Jo lives in a two-bed flat with her children Sam (6) and Mia (3).",
        "mia",
        "strong",
        "from_subject",
    ),
    c(
        "Dan Cole",
        "His kids, Ava (7) and Leo (4), live with their mum in Hull and he sees them monthly.",
        "leo",
        "?",
        "none",
    ),
];

/// Cases the rules do not yet judge as written, by their text: a change that fixes one should
/// take it off this list, so that it is held from then on. Most of the spoken ones fail before
/// judging: a tie said in the first person ("my dad", "me lad") is not found at all.
const KNOWN_FAILURES: &[&str] = &[
    "Ron and his brother Jim are very close.",
    "Mum is worried about his influence; his friend Jordan is older.",
    "Her neighbour Bill plays loud music at night and she finds it very stressful.",
    "He is being bullied by a boy called Mason.",
    "There is a non-molestation order against her ex-partner.",
    "She fell out with her sister years ago and they no longer speak.",
    "She has a new boyfriend, Sam; it's early days.",
    "Her friendship with Linda is a bit up and down.",
    "Amira is her dad's carer.",
    "He walks his neighbour's dog every morning.",
    "Carers come in four times a day to help her wash and dress.",
    "Tyler's dad lives in Spain. He hasn't been in touch for two years.",
    "Amira has an older sister, Nadia. They are very close.",
    "Her neighbour Irene is 80. She pops in every day to check on Joan.",
    "His son Paul is in the army. He hasn't seen him since Christmas.",
    "Her mum can be difficult but she is there when it matters.",
    "oh our Karen she's ever so good she's round every day",
    "me lad doesn't bother with me anymore",
    "my sister she drives me mad to be honest we're always rowing",
    "my nan's the best she always sorts me out",
    "me and my brother we don't talk no more",
    "I do me mum's shopping for her every Friday",
    "I look after my husband, he can't do much now",
    "my mate Jess, we look out for each other",
    "I see my dad every other weekend",
    "my uncle's alright, I see him now and then",
    "my son's in Australia so I only see him on video calls",
    "the carers are lovely, I don't know what I'd do without them",
    "my ex is still sending me messages and it frightens me",
    "my dad, I'm scared of him when he's angry",
    "my best mate moved to Wales so I don't see him now",
];

fn find<'t>(ties: &'t [SuggestedTie], who: &str) -> Option<&'t SuggestedTie> {
    ties.iter().find(|t| t.who.to_lowercase().contains(who) || t.role == who)
}

fn spelled<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// What is wrong with one case's tie, or `None` when it is judged as expected.
fn miss(extractor: &Extractor<'_>, case: &Case) -> Option<String> {
    let ties = match extractor.suggest(case.text, Some(case.subject)) {
        Ok(s) => s.ties,
        Err(e) => return Some(format!("error {e}")),
    };
    let Some(tie) = find(&ties, case.who) else {
        let found: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
        return Some(format!("no tie for {:?} in {found:?}", case.who));
    };
    let (quality, support) = (spelled(&tie.quality), spelled(&tie.support));
    let wrong_quality = case.quality != "?" && case.quality != quality;
    let wrong_support = case.support != "?" && case.support != support;
    (wrong_quality || wrong_support)
        .then(|| format!("{quality}/{support}, expected {}/{}", case.quality, case.support))
}

#[test]
fn quality_and_support_read_from_how_the_note_says_them() {
    let lexicon = Lexicon::built_in().expect("built-in lexicon");
    let extractor = Extractor::new(&lexicon);
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for case in CASES {
        let known = KNOWN_FAILURES.contains(&case.text);
        match (miss(&extractor, case), known) {
            (Some(why), false) => failures.push(format!("{:?}: {why}", case.text)),
            (None, true) => fixed.push(case.text),
            (Some(why), true) => println!("known: {:?}: {why}", case.text),
            (None, false) => {}
        }
    }
    let passed = CASES.len() - failures.len() - (KNOWN_FAILURES.len() - fixed.len());
    println!("challenge: {passed}/{} pass", CASES.len());
    assert!(failures.is_empty(), "{} new failures:\n{}", failures.len(), failures.join("\n"));
    assert!(fixed.is_empty(), "now passing, take off KNOWN_FAILURES: {fixed:#?}");
}
