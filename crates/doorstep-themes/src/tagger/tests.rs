//! The tagger on sentences written for these tests, one rule a test.
use super::text::stem;
use super::*;

const TAXONOMY: &str = r#"
[[theme]]
id = "substance_misuse"
label = "Substance misuse"
kind = "risk"

[[theme]]
id = "alcohol"
label = "Alcohol misuse"
parent = "substance_misuse"
kind = "risk"
synonyms = ["problem drinking"]
cues = ["smelled of alcohol", "empty cans", "drunk"]

[[theme]]
id = "domestic_abuse"
label = "Domestic abuse"
kind = "risk"
acronyms = ["DV"]
cues = ["hands round her neck"]

[[theme]]
id = "strength_family_support"
label = "Strength: family support"
kind = "strength"
cues = ["lives with her grandparents"]
together = [["daughter", "son"], ["shopping", "visits", "rings", "takes her"]]
except = ["takes her passport"]

[[theme]]
id = "mental_health"
label = "Mental health"
kind = "need"
cues = ["EPDS", "PHQ-9", "low mood"]

[[theme]]
id = "dementia_memory"
label = "Dementia and memory"
kind = "need"
cues = ["MoCA"]

[[theme]]
id = "self_harm_suicide"
label = "Self-harm and suicide"
kind = "risk"
synonyms = ["suicidal thoughts"]
cues = ["suicidal", "thoughts of ending"]

[[theme]]
id = "loneliness"
label = "Loneliness"
kind = "need"
synonyms = ["lonely"]
cues = ["lives alone"]
topics = ["social life"]

[[theme]]
id = "neglect"
label = "Neglect"
kind = "risk"
synonyms = ["neglect"]

[[theme]]
id = "self_neglect"
label = "Self-neglect"
kind = "risk"
synonyms = ["self-neglect"]

[[theme]]
id = "drugs"
label = "Drug misuse"
parent = "substance_misuse"
kind = "risk"
synonyms = ["drugs"]
cues = ["smell of cannabis", "smokes weed"]

[[theme]]
id = "falls_mobility"
label = "Falls and mobility"
kind = "need"
synonyms = ["falls"]
cues = ["can't manage the stairs", "walking stick", "with his stick"]

[[theme]]
id = "bereavement_trauma"
label = "Bereavement"
kind = "need"
cues = ["died", "death"]
except = ["scared to death"]
lasting = true

[[theme]]
id = "strength_work_learning"
label = "Strength: work, learning and activities"
kind = "strength"
cues = ["works nights", "choir", "football"]
unless = ["husband", "wife"]

[[theme]]
id = "strength_community"
label = "Strength: community and friends"
kind = "strength"
cues = ["carers' group", "young carers group", "the community"]
together = [["neighbour", "friend", "community"], ["pops in", "shopping"]]
except = ["community nurse"]
more_together = [[["goes to", "attends"], ["church", "mosque"]]]

[[theme]]
id = "strength_engagement"
label = "Strength: engagement with services"
kind = "strength"
together = [["agreed to", "accepted"], ["counselling", "a call"]]

[[theme]]
id = "carers"
label = "Carers"
kind = "need"
synonyms = ["young carers"]
"#;

fn ids(text: &str) -> Vec<String> {
    let taxonomy = Taxonomy::from_toml(TAXONOMY).unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<String> =
        Tagger::new(&taxonomy).tag(text).iter().map(|t| t.id.to_string()).collect();
    ids.sort();
    ids
}

#[test]
fn mentions_become_tags_with_their_evidence_and_parents() {
    let taxonomy = Taxonomy::from_toml(TAXONOMY).unwrap_or_else(|e| panic!("{e}"));
    let text = "He put his hands round her neck. Flat smelled of alcohol, empty cans.";
    let tags = Tagger::new(&taxonomy).tag(text);
    let da = tags.iter().find(|t| t.id.as_str() == "domestic_abuse").map(|t| &t.evidence);
    assert_eq!(
        da,
        Some(&vec![Evidence { start: 11, end: 31, text: "hands round her neck".into() }])
    );
    let alcohol = tags.iter().find(|t| t.id.as_str() == "alcohol").map(|t| t.evidence.len());
    assert_eq!(alcohol, Some(2));
    let parent = tags.iter().find(|t| t.id.as_str() == "substance_misuse");
    assert!(parent.is_some_and(|p| p.implied));
}

#[test]
fn denials_plans_and_conditions_are_not_tags() {
    assert!(ids("No concerns about DV.").is_empty());
    assert!(ids("She denies any problem drinking.").is_empty());
    assert!(ids("I'll ask about problem drinking next time.").is_empty());
    assert_eq!(ids("I will refer him for his problem drinking."), ["alcohol", "substance_misuse"]);
    assert_eq!(
        ids("No food in the house for days and the flat was filthy and he was drunk."),
        ["alcohol", "substance_misuse"]
    );
    assert!(ids("If he comes home drunk again we would act.").is_empty());
    assert_eq!(ids("No DV disclosed, but he was drunk."), ["alcohol", "substance_misuse"]);
}

#[test]
fn a_theme_denied_in_a_sentence_is_not_found_in_it() {
    assert!(ids("She lives alone but says she is never lonely.").is_empty());
}

#[test]
fn a_theme_denied_by_name_is_not_shown_by_a_cue_elsewhere() {
    assert!(ids("She lives alone. She is not lonely, she says.").is_empty());
    // Named in another sentence as a fact, it stays.
    assert_eq!(
        ids("She is not lonely, she says. Later she admitted she is lonely."),
        ["loneliness"]
    );
}

#[test]
fn a_conclusion_against_a_theme_holds_for_the_whole_note() {
    assert!(
        ids("School said she smelled of alcohol. I have no concerns about her problem drinking.")
            .is_empty()
    );
    assert!(
        ids("He was drunk. There are no concerns at all regarding DV or problem drinking.")
            .is_empty()
    );
}

#[test]
fn words_together_in_a_clause_show_a_theme() {
    assert_eq!(ids("Her daughter does the shopping."), ["strength_family_support"]);
    assert!(ids("Her daughter lives in Spain. The shopping is delivered.").is_empty());
    assert!(ids("Her son never visits.").is_empty());
}

#[test]
fn endings_do_not_hide_a_cue() {
    assert_eq!(ids("He smells of alcohol."), ["alcohol", "substance_misuse"]);
    assert_eq!(stem("volunteered"), stem("volunteers"));
    assert_eq!(stem("glass"), "glass");
    assert_eq!(stem("was"), "was");
    assert!(ids("Her drunken uncle.").is_empty(), "a single-word cue is matched exactly");
}

#[test]
fn a_phrase_names_its_person_any_way() {
    // The cue is written "hands round her neck": said of him, them or me it is the same act.
    for text in [
        "He put his hands round their neck.",
        "She says he had his hands round my neck.",
        "His brother put his hands round his neck.",
    ] {
        assert_eq!(ids(text), ["domestic_abuse"], "{text}");
    }
    assert!(ids("He put his hands round the neck of the bottle.").is_empty());
}

#[test]
fn acronyms_need_their_capitals_and_longer_phrases_win() {
    assert!(ids("dv").is_empty());
    assert_eq!(ids("Signs of self-neglect at home."), ["self_neglect"]);
}

#[test]
fn a_denial_reaches_only_its_own_statement() {
    // A comma and a new statement end the denial's reach.
    assert_eq!(
        ids("She said the coat was not hers, and he smokes weed every night."),
        ["drugs", "substance_misuse"]
    );
    assert_eq!(
        ids("The heating wasn't on and there was a strong smell of cannabis."),
        ["drugs", "substance_misuse"]
    );
    // A list after a denial stays denied.
    assert!(ids("No concerns about DV, drugs or problem drinking.").is_empty());
    // Reach is counted in words that carry meaning: "at all about her" is nothing.
    assert!(ids("There are no worries at all about her drinking or drugs.").is_empty());
}

#[test]
fn a_negation_inside_another_phrase_is_that_phrases_own() {
    assert_eq!(ids("He can't manage the stairs with his stick."), ["falls_mobility"]);
}

#[test]
fn a_concern_stopped_since_a_time_is_over_unless_tied_to_now() {
    assert!(ids("There have been no falls since she came home.").is_empty());
    assert_eq!(
        ids("No falls since she came home, but she is still unsteady on the stairs."),
        ["falls_mobility"]
    );
    assert!(ids("There have been no falls.").is_empty());
    // A conclusion is not undone by "since".
    assert!(ids("No concerns about drugs since the last review.").is_empty());
}

#[test]
fn enquiries_and_conditions_are_not_facts() {
    assert!(ids("I asked him directly about drugs.").is_empty());
    assert!(ids("The school will look at whether drugs are involved.").is_empty());
    assert_eq!(ids("I asked the agency to help; he smokes weed."), ["drugs", "substance_misuse"]);
}

#[test]
fn a_past_concern_counts_only_when_tied_to_now() {
    assert!(ids("He used to smoke weed as a teenager.").is_empty());
    assert!(ids("She previously had problem drinking.").is_empty());
    assert_eq!(
        ids("He used to be a problem drinking case and is still in recovery."),
        ["alcohol", "substance_misuse"]
    );
    // Loss is lasting: a death years ago is still a bereavement.
    assert_eq!(ids("Her husband died years ago."), ["bereavement_trauma"]);
    // A past strength is not a strength now.
    assert!(ids("He used to sing in the choir.").is_empty());
    assert!(ids("She was a football coach until 2020.").is_empty());
}

#[test]
fn a_strength_offered_or_ended_is_not_a_strength() {
    assert!(ids("I've given her details of the carers' group.").is_empty());
    assert!(ids("She might try the carers' group.").is_empty());
    assert!(ids("He has stopped going to football.").is_empty());
    assert_eq!(ids("She goes to the carers' group."), ["strength_community"]);
}

#[test]
fn unless_words_make_a_mention_someone_elses() {
    assert!(ids("Her husband works nights.").is_empty());
    assert_eq!(ids("She works nights."), ["strength_work_learning"]);
    // Taken there by them, it is the person's own.
    assert_eq!(ids("Her husband takes her to the choir."), ["strength_work_learning"]);
    assert!(ids("Her husband sings in the choir on her days off.").is_empty());
}

#[test]
fn together_words_come_in_order_and_close() {
    assert_eq!(ids("Her neighbour always pops in."), ["strength_community"]);
    assert_eq!(ids("He attends the mosque on Fridays."), ["strength_community"]);
    // The wrong order is another statement.
    assert!(ids("She does the shopping for her neighbour.").is_empty());
    // Too far apart.
    assert!(
        ids("The daughter lives a long way from town and only sometimes thinks of visits.")
            .is_empty()
    );
}

#[test]
fn a_name_given_to_a_relation_stands_for_it() {
    assert_eq!(
        ids("Her neighbour Pat has a key. Pat pops in every morning."),
        ["strength_community"]
    );
    assert!(ids("Pat pops in every morning.").is_empty());
}

#[test]
fn phrases_reach_over_small_words_and_hesitations() {
    assert_eq!(ids("The flat smelled strongly of alcohol."), ["alcohol", "substance_misuse"]);
    assert_eq!(ids("there was a smell of um cannabis"), ["drugs", "substance_misuse"]);
}

#[test]
fn a_since_belongs_to_its_own_statement() {
    // The "since" after the comma is about someone else, so the DV is still denied.
    assert!(
        ids("She says there's no DV, dad's not been around since the baby was born.").is_empty()
    );
    assert_eq!(
        ids("There have been no falls since the spring and she is still nervous of them."),
        ["falls_mobility"]
    );
}

#[test]
fn what_is_put_off_to_a_later_visit_is_not_a_finding() {
    assert!(ids("I will look at his problem drinking next time.").is_empty());
    assert!(ids("We can talk about problem drinking on another visit.").is_empty());
    // The deferral is its own statement: the drinking seen today stands.
    assert_eq!(
        ids("He was drunk and I will discuss it with him next time."),
        ["alcohol", "substance_misuse"]
    );
}

#[test]
fn a_possessive_is_still_the_word() {
    assert_eq!(ids("Her daughter's doing her shopping."), ["strength_family_support"]);
    assert!(ids("Her husband's brother works nights.").is_empty());
}

#[test]
fn a_need_inside_the_name_of_what_helps_is_both() {
    assert_eq!(ids("She goes to the young carers group."), ["carers", "strength_community"]);
}

#[test]
fn many_forms_of_denial_rule_a_theme_out() {
    for text in [
        "There is nothing to suggest any drugs.",
        "No evidence of neglect.",
        "No indication of DV.",
        "She refutes any suggestion of problem drinking.",
        "Mum disputed that there was any neglect.",
        "Absence of any neglect.",
        "He was asked whether there was any DV and said no.",
        "He has been free of drugs for a year.",
    ] {
        assert!(ids(text).is_empty(), "{text}");
    }
    assert_eq!(ids("She sings in a free choir on Mondays."), ["strength_work_learning"]);
}

#[test]
fn a_verdict_after_the_mention_denies_it() {
    for text in [
        "Any DV was ruled out.",
        "Allegations of neglect were unfounded.",
        "Concerns about neglect were not substantiated.",
        "Problem drinking is not a concern.",
        "Drugs are not thought to be an issue.",
        "Neglect not evident at this visit.",
        "Drugs denied by both parents.",
    ] {
        assert!(ids(text).is_empty(), "{text}");
    }
    // A negation that says the thing happened is not a verdict.
    assert_eq!(ids("The DV was not reported to the police at the time."), ["domestic_abuse"]);
    assert_eq!(ids("His problem drinking is not under control."), ["alcohol", "substance_misuse"]);
    // "Denied access" is not a denial of the concern.
    assert_eq!(ids("Neglect, denied access to the children."), ["neglect"]);
}

#[test]
fn a_heading_or_question_answered_no_is_ruled_out() {
    assert!(ids("DV: none.").is_empty());
    assert!(ids("Any DV? No.").is_empty());
    assert!(ids("Drugs: denies.").is_empty());
    assert_eq!(ids("Drugs: smokes weed daily."), ["drugs", "substance_misuse"]);
    // A topic opening its statement mid-sentence, answered after a comma.
    assert!(ids("He was calm, but drugs, 'never, that's not me', and I believe him.").is_empty());
    assert!(ids("She took the keys, drugs, never, and the screen was clear.").is_empty());
    assert_eq!(ids("No cans, drugs and he was sober."), Vec::<String>::new());
}

#[test]
fn a_question_with_words_around_the_mention_answered_no_is_ruled_out() {
    assert!(ids("Thoughts of ending it? 'No, I've got a door key now.'").is_empty());
    assert!(ids("Anyone offering him drugs? No, nothing like that.").is_empty());
    assert_eq!(ids("Any drugs? Yes, weed every night."), ["drugs", "substance_misuse"]);
}

#[test]
fn a_heading_ended_by_a_full_stop_is_answered_only_by_a_short_sentence() {
    assert!(ids("Drugs. None reported.").is_empty());
    assert_eq!(ids("He smokes weed. No falls since May."), ["drugs", "substance_misuse"]);
}

#[test]
fn a_mention_inside_a_longer_one_is_read_as_the_longer_one() {
    assert!(ids("Suicidal thoughts: none, no plans.").is_empty());
    assert_eq!(ids("Suicidal thoughts most nights."), ["self_harm_suicide"]);
}

#[test]
fn not_classing_something_as_the_theme_denies_it() {
    assert!(ids("We are not treating the relationship itself as neglect.").is_empty());
    assert_eq!(ids("She was treated as a victim of DV."), ["domestic_abuse"]);
}

#[test]
fn a_screen_scored_in_its_normal_band_is_ruled_out() {
    assert!(ids("EPDS 4; tired but happy.").is_empty());
    assert_eq!(ids("EPDS 14."), ["mental_health"]);
    assert!(ids("PHQ-9 4 last month.").is_empty());
    // On memory tests a high score is the normal one.
    assert!(ids("Memory sound (MoCA 27/30).").is_empty());
    assert_eq!(ids("MoCA 18/30."), ["dementia_memory"]);
}

#[test]
fn what_has_cleared_is_over() {
    assert!(ids("Low mood after the fall, but that's all cleared now.").is_empty());
    assert!(ids("Nobody's offered him drugs.").is_empty());
}

#[test]
fn a_screens_acronym_scored_low_is_ruled_out() {
    assert!(ids("DV 2 - no injuries.").is_empty());
    assert_eq!(ids("DV 2 incidents this year."), ["domestic_abuse"]);
    assert_eq!(ids("DV 18 - high risk."), ["domestic_abuse"]);
    assert!(ids("Mood bright, DV 2 - \"he has never raised a hand\".").is_empty());
}

#[test]
fn conditions_opened_by_phrases_are_not_facts() {
    assert!(ids("In the event that he smokes weed again we would refer him.").is_empty());
    assert!(ids("In case of falls she has a pendant alarm.").is_empty());
    assert!(ids("Assuming the DV continues, a strategy meeting will be needed.").is_empty());
    // The plan in a sentence opened by "if" waits on its condition.
    assert!(ids("If she moves out we'll talk about her problem drinking then.").is_empty());
    assert_eq!(ids("If she moves out, she is lonely."), ["loneliness"]);
}

#[test]
fn more_enquiries_and_deferrals_are_not_findings() {
    assert!(ids("I will try to establish whether drugs are involved.").is_empty());
    assert!(ids("We need to find out about his problem drinking.").is_empty());
    assert!(ids("Problem drinking to be explored at the next session.").is_empty());
    assert!(ids("The DV resolved when he moved away.").is_empty());
    assert!(ids("Problem drinking not yet discussed - for next week.").is_empty());
    assert!(ids("Problem drinking was never the issue, she says.").is_empty());
}

#[test]
fn what_a_speaker_takes_back_is_not_a_tag() {
    assert!(ids("I think he has problem drinking? no, sorry, that's someone else.").is_empty());
    assert!(ids("she smokes weed no sorry I mean her brother does").is_empty());
    // What comes after the correction stands.
    assert_eq!(ids("He was drunk, scratch that, he lives alone."), ["loneliness"]);
    assert_eq!(
        ids("um he has problem drinking. no wait, that was his dad. He lives alone."),
        ["loneliness"]
    );
}

#[test]
fn a_concern_dated_to_an_earlier_age_is_over_unless_tied_to_now() {
    assert!(ids("She smoked weed when she was 15, during a hard time at home.").is_empty());
    assert!(ids("When he was a teenager he smoked weed.").is_empty());
    assert_eq!(
        ids("She smoked weed when she was 15 and still does most days."),
        ["drugs", "substance_misuse"]
    );
    // "since" with an age is a stop long ago; with a recent time it is recent history when the
    // sentence ties it to now.
    assert!(ids("He hasn't touched drugs since he was 30.").is_empty());
    assert!(ids("He hasn't touched drugs since he was 30, still on his script.").is_empty());
    assert!(ids("He hasn't touched drugs since Christmas.").is_empty());
    assert_eq!(
        ids("He hasn't touched drugs since Christmas and is in recovery."),
        ["drugs", "substance_misuse"]
    );
}

#[test]
fn a_strength_only_referred_to_is_not_yet_a_strength() {
    assert!(ids("I referred her to the carers' group.").is_empty());
    assert!(ids("I put him in touch with the carers' group.").is_empty());
    assert!(ids("She agreed to a carers' group referral.").is_empty());
    assert_eq!(ids("She accepted counselling referral."), ["strength_engagement"]);
}

#[test]
fn an_offer_reaches_only_a_few_words_and_not_past_another_verb() {
    assert_eq!(ids("She wanted a change and joined the carers' group."), ["strength_community"]);
    assert_eq!(
        ids(
            "She wants to move to a new town one day with her partner and the carers' group helps."
        ),
        ["strength_community"]
    );
}

#[test]
fn a_topic_judged_well_clears_its_clause() {
    assert!(ids("Social life is fine, lives alone but goes out daily.").is_empty());
    assert_eq!(ids("Social life is fine. Lives alone."), ["loneliness"]);
    assert_eq!(ids("Social life tight, fine otherwise, lives alone."), ["loneliness"]);
    assert_eq!(ids("No social life, lives alone."), ["loneliness"]);
}

#[test]
fn a_mention_inside_an_except_phrase_is_not_the_theme() {
    assert!(ids("She is scared to death of the dog.").is_empty());
    assert!(ids("He was scared to death when she died.").contains(&"bereavement_trauma".into()));
    assert_eq!(ids("Since her death he is lost."), ["bereavement_trauma"]);
    assert!(ids("The community nurse pops in daily.").is_empty());
    assert_eq!(ids("Her friend pops in daily."), ["strength_community"]);
    assert!(ids("Her son takes her passport.").is_empty());
    assert_eq!(ids("Her son takes her to church."), ["strength_family_support"]);
}

#[test]
fn a_name_in_apposition_keeps_the_statement_someone_elses() {
    assert!(ids("Her husband, Dave, works nights.").is_empty());
    assert_eq!(ids("Her husband Dave is kind. She works nights."), ["strength_work_learning"]);
    // A relative clause is about the word before it.
    assert!(ids("She has her husband, who works nights.").is_empty());
    assert_eq!(ids("She has Dave, who works nights."), ["strength_work_learning"]);
}

#[test]
fn a_strength_word_in_a_professionals_title_is_not_a_strength() {
    assert!(ids("The community nurse came this morning.").is_empty());
    assert!(ids("The carers' group coordinator rang me.").is_empty());
    assert_eq!(ids("She is well liked in the community."), ["strength_community"]);
}

#[test]
fn a_name_given_to_a_relation_makes_its_statements_someone_elses() {
    assert!(ids("Her husband Dave is kind. Dave works nights.").is_empty());
    assert_eq!(ids("Her friend Dave is kind. Dave works nights."), ["strength_work_learning"]);
}

#[test]
fn a_need_judged_well_right_after_it_is_not_there() {
    assert!(ids("Her falls are fine now.").is_empty());
    assert!(ids("His problem drinking seems absolutely fine.").is_empty());
    // A strength judged well is still a strength.
    assert_eq!(ids("Her neighbour pops in and it is good."), ["strength_community"]);
}

#[test]
fn a_statement_taken_back_is_not_a_tag_by_meaning_either() {
    let taxonomy = Taxonomy::from_toml(TAXONOMY).unwrap_or_else(|e| panic!("{e}"));
    let tagger = Tagger::new(&taxonomy);
    let by_meaning = |text: &str| {
        let end = text.find('?').unwrap_or(text.len());
        let theme = taxonomy
            .by_id("domestic_abuse")
            .map(|t| t.id.clone())
            .unwrap_or_else(|| panic!("no theme"));
        let meaning = [MeaningMatch { theme, start: 0, end, similarity: 0.8 }];
        tagger.tag_with_meaning(text, &meaning).len()
    };
    assert_eq!(by_meaning("I think he went for her last week? He is calm now."), 1);
    assert_eq!(by_meaning("I think he went for her last week? no, sorry, that's someone else."), 0);
}

#[test]
fn and_before_a_new_verb_ends_a_denial() {
    assert_eq!(
        ids("She never told anyone and still smokes weed most days."),
        ["drugs", "substance_misuse"]
    );
    // A list after a denial stays denied.
    assert!(ids("No drugs and problem drinking.").is_empty());
}

#[test]
fn refusing_help_for_a_need_does_not_deny_the_need() {
    assert_eq!(
        ids("He declined a referral to the service for his problem drinking."),
        ["alcohol", "substance_misuse"]
    );
    assert!(ids("He denies problem drinking.").is_empty());
}

#[test]
fn an_offer_inside_a_strength_is_the_helpers_own() {
    assert_eq!(ids("Her neighbour has offered to do her shopping."), ["strength_community"]);
    assert!(ids("I have offered to ask her neighbour to do her shopping.").is_empty());
}

#[test]
fn one_cue_denied_leaves_the_other_cues_of_its_sentence() {
    assert_eq!(
        ids("He was not drunk today, though there were empty cans everywhere."),
        ["alcohol", "substance_misuse"]
    );
    assert!(ids("She lives alone, though she is not lonely.").is_empty());
}

#[test]
fn a_side_of_the_family_does_not_break_a_phrase() {
    assert_eq!(ids("She lives with her maternal grandparents."), ["strength_family_support"]);
}

#[test]
fn a_wish_for_help_shows_the_need_but_a_wished_for_strength_is_not_yet_one() {
    assert_eq!(
        ids("She would like some help with her problem drinking."),
        ["alcohol", "substance_misuse"]
    );
    assert!(ids("He would be drunk by noon if he had the money.").is_empty());
    assert!(ids("She would like to go to the carers' group.").is_empty());
}

#[test]
fn a_title_is_not_an_ending() {
    assert_eq!(ids("Miss Patel says she goes to the carers' group."), ["strength_community"]);
    assert!(ids("She misses the carers' group.").is_empty());
}

#[test]
fn a_heading_names_what_follows_without_showing_it() {
    assert!(ids("Past drugs: stopped when the baby came.").is_empty());
    assert!(ids("Falls: walks well with no trips.").is_empty());
    assert_eq!(ids("Falls: two since March, can't manage the stairs."), ["falls_mobility"]);
}

#[test]
fn a_question_asked_across_commas_is_still_a_question() {
    assert!(ids("I asked him, gently, had he been using drugs, and he said no.").is_empty());
    assert!(ids("I asked him straight was he using drugs and he said no.").is_empty());
}

#[test]
fn what_the_sentence_puts_behind_the_person_is_over() {
    assert!(ids("He smoked weed for years, but that is behind him now.").is_empty());
    assert_eq!(ids("He smokes weed and his mum is behind him."), ["drugs", "substance_misuse"]);
}

#[test]
fn a_check_that_ends_clear_clears_its_mention() {
    assert!(ids("Drugs test for court clear.").is_empty());
    assert_eq!(ids("He smokes weed, he made it clear."), ["drugs", "substance_misuse"]);
}

#[test]
fn two_signs_outweigh_a_name_denied_elsewhere() {
    let two = "He says he does not take drugs. He smokes weed and there was a smell of cannabis.";
    assert_eq!(ids(two), ["drugs", "substance_misuse"]);
    assert!(ids("He says he does not take drugs. There was a smell of cannabis.").is_empty());
}

#[test]
fn a_topic_answered_by_a_denying_auxiliary_is_ruled_out() {
    assert!(ids("Um, drugs, he doesn't, he says he can't afford it.").is_empty());
    assert_eq!(
        ids("Nightmares; won't have the door shut. Smokes weed."),
        ["drugs", "substance_misuse"]
    );
}

#[test]
fn a_risk_stopped_is_over_unless_the_sentence_ties_it_to_now() {
    assert!(ids("She stopped drugs when she found out she was pregnant.").is_empty());
    assert!(ids("He gave up the drugs in May.").is_empty());
    assert_eq!(ids("He quit drugs in May but is still using now."), ["drugs", "substance_misuse"]);
    assert_eq!(ids("She is on drugs again."), ["drugs", "substance_misuse"]);
}

#[test]
fn the_name_of_a_test_is_not_a_finding() {
    assert!(ids("Offered a drugs screen - declined.").is_empty());
    assert!(ids("The drugs test the GP did in spring was unchanged.").is_empty());
    assert_eq!(ids("Drugs test positive last week."), ["drugs", "substance_misuse"]);
}

#[test]
fn a_short_question_the_next_sentence_denies_is_ruled_out() {
    assert!(ids("Lonely? There's no such thing on St Mary's.").is_empty());
    assert_eq!(ids("Lonely? Yes, not that she says so."), ["loneliness"]);
}

#[test]
fn a_smell_the_sentence_puts_next_door_is_someone_elses() {
    assert!(
        ids("There was a smell of cannabis in the hall, but that's from next door.").is_empty()
    );
    assert_eq!(ids("There was a smell of cannabis in his bedroom."), ["drugs", "substance_misuse"]);
    // The smell next door is another's; the weed he smokes is his.
    assert_eq!(
        ids("He smokes weed daily, and there is a smell of damp from next door."),
        ["drugs", "substance_misuse"]
    );
}

#[test]
fn what_a_dash_adds_may_put_a_mention_behind() {
    assert!(ids("Suicidal at 15 in a children's home - nothing since and nothing now.").is_empty());
    assert_eq!(ids("Suicidal at 15 in a children's home - still is."), ["self_harm_suicide"]);
}

#[test]
fn a_check_found_normal_is_ruled_out() {
    assert!(ids("The GP did a MoCA last month, all normal.").is_empty());
    assert_eq!(ids("The GP did a MoCA last month."), ["dementia_memory"]);
    assert_eq!(
        ids("He drinks every day and is drunk, says that's normal."),
        ["alcohol", "substance_misuse"]
    );
}

#[test]
fn a_relation_names_its_person_without_a_determiner() {
    assert_eq!(
        ids("Present: Joan, son Piotr (interpreting). Piotr visits on Fridays."),
        ["strength_family_support"]
    );
    assert_eq!(ids("Raised by daughter Lynne. Lynne visits daily."), ["strength_family_support"]);
}

#[test]
fn a_statement_corrected_with_no_is_not_answered_no() {
    assert_eq!(
        ids("He'd been drunk, no, paralytic, at the party."),
        ["alcohol", "substance_misuse"]
    );
    assert!(ids("Drunk, no.").is_empty());
}
