use super::*;

fn suggest(text: &str, subject: &str) -> Vec<SuggestedTie> {
    let lexicon = Lexicon::built_in().unwrap();
    Extractor::new(&lexicon).suggest(text, Some(subject)).unwrap().ties
}

#[test]
fn a_named_daughter_who_helps_is_a_strong_family_tie() {
    let ties = suggest(
        "Her daughter Karen visits every day and does her shopping. Karen is tired.",
        "Joan Platt",
    );
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert_eq!(ties[0].who, "Her daughter Karen");
    assert_eq!(ties[0].category, TieCategory::Family);
    assert_eq!(ties[0].quality, TieQuality::Strong);
    assert_eq!(ties[0].support, SupportFlow::ToSubject);
    assert_eq!(ties[0].aliases, ["Karen"]);
}

#[test]
fn a_plan_is_not_a_tie() {
    let ties =
        suggest("I'll refer to OT for grab rails and mentioned Age UK befriending.", "Joan Platt");
    assert!(ties.is_empty(), "{ties:?}");
}

#[test]
fn someone_elses_relation_is_not_the_persons() {
    let ties =
        suggest("Joan is well. Dean's mum rang. Her cat Smudge sleeps on her bed.", "Joan Platt");
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["Her cat Smudge"]);
}

#[test]
fn evidence_is_the_sentence_by_character_offsets() {
    let text = "Zoë is 9. Her nan Sandra has the kids after school.";
    let ties = suggest(text, "Zoë Hart");
    let tie = ties.iter().find(|t| t.role == "grandmother").unwrap();
    let said: String =
        text.chars().skip(tie.evidence.start).take(tie.evidence.end - tie.evidence.start).collect();
    assert_eq!(said, tie.evidence.text);
    assert_eq!(said, "Her nan Sandra has the kids after school.");
}

#[test]
fn an_empty_note_has_no_ties() {
    assert!(suggest("", "Joan Platt").is_empty());
    assert!(suggest("   \n\t ", "Joan Platt").is_empty());
}

#[test]
fn a_note_of_fifty_thousand_words_is_refused_by_name() {
    let lexicon = Lexicon::built_in().unwrap();
    let text = "word ".repeat(50_000);
    let err = Extractor::new(&lexicon).suggest(&text, None).unwrap_err();
    assert!(err.to_string().contains("50000 words"), "{err}");
}

#[test]
fn names_in_any_script_keep_their_characters() {
    let text =
        "Her daughter Zoë 🌟 visits. Her nan فاطمة rings every day. Her friend Ångström helps.";
    let ties = suggest(text, "Joan Platt");
    for tie in &ties {
        let said: String = text
            .chars()
            .skip(tie.evidence.start)
            .take(tie.evidence.end - tie.evidence.start)
            .collect();
        assert_eq!(said, tie.evidence.text);
    }
    assert!(ties.iter().any(|t| t.who.contains("Zoë")), "{ties:?}");
    assert!(ties.iter().any(|t| t.who.contains("Ångström")), "{ties:?}");
}

#[test]
fn a_later_bare_name_is_the_same_node_and_the_map_knows_earlier_names() {
    let lexicon = Lexicon::built_in().unwrap();
    let extractor = Extractor::new(&lexicon);
    let first = extractor.suggest("His dad Dean moved out in May.", Some("Riley Morris")).unwrap();
    let mut map = Ecomap::empty(doorstep_core::ids::PersonId::new());
    crate::merge::fold(&mut map, None, &first, &[]);
    let later = extractor
        .suggest_with(
            "Dean shouted at the school gates and frightened Riley.",
            Some("Riley Morris"),
            Some(&map),
        )
        .unwrap();
    assert_eq!(later.ties.len(), 1, "{:?}", later.ties);
    assert_eq!(later.ties[0].category, TieCategory::Family);
    assert_eq!(later.ties[0].quality, TieQuality::Stressful);
    assert_eq!(later.ties[0].support, SupportFlow::None);
}

#[test]
fn what_matters_and_own_strengths_are_read_with_their_domains() {
    let lexicon = Lexicon::built_in().unwrap();
    let taxonomy = Taxonomy::builtin().unwrap();
    let extractor = Extractor::with_strengths(&lexicon, &taxonomy);
    let text = "Joan is sharp and does the crossword every morning. She is clear she wants to stay in her own home.";
    let read = extractor.suggest(text, Some("Joan Platt")).unwrap();
    assert_eq!(read.matters.len(), 1, "{:?}", read.matters);
    assert!(read.matters[0].text.contains("own home"));
    assert!(read.matters[0].domains.contains(&WellbeingDomain::Accommodation));
    assert!(!read.strengths.is_empty(), "{:?}", read.strengths);
}

#[test]
fn weekly_contact_is_a_moderate_tie() {
    let ties = suggest("His sister Julie lives in Preston and rings weekly.", "Tom Hill");
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert_eq!(ties[0].quality, TieQuality::Moderate);
}

#[test]
fn the_next_sentence_about_a_relative_of_the_other_sex_is_read_with_them() {
    let ties = suggest(
        "Margaret lives with her husband Geoff. He shouts at her when she forgets.",
        "Margaret Lee",
    );
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert_eq!(ties[0].quality, TieQuality::Stressful);
}

#[test]
fn a_school_beside_its_named_teacher_is_not_a_second_tie() {
    let ties = suggest(
        "Riley is settled at school. His teacher Mr Okonjo has been great with him.",
        "Riley Morris",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["His teacher Mr Okonjo"]);
}

#[test]
fn a_place_said_as_a_time_of_day_is_not_a_tie() {
    let ties = suggest("The heating goes on for an hour after school.", "Elena Popescu");
    assert!(ties.is_empty(), "{ties:?}");
}

#[test]
fn a_place_someone_works_at_is_their_employer() {
    let ties = suggest("She works as a cleaner at the hospital.", "Donna Pearce");
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert_eq!(ties[0].category, TieCategory::Work);
    assert_eq!(ties[0].support, SupportFlow::None);
}

#[test]
fn a_relation_of_the_family_is_in_the_network_once() {
    let ties = suggest(
        "Mum's friend Dorota does the Saturday shop. Chloe is staying with her Auntie Nicola, \
         Mum's sister, for now.",
        "Chloe Barker",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["Mum's friend Dorota", "her Auntie Nicola"]);
}

#[test]
fn a_staff_member_owned_by_a_place_is_a_tie_and_a_and_e_alone_is_not() {
    let ties = suggest(
        "The school's learning mentor, Mr Price, sees him every morning. He went to A&E twice.",
        "Noah Evans",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["school's learning mentor, Mr Price"]);
}

#[test]
fn someone_unnamed_and_unspecified_is_not_a_tie() {
    let ties = suggest(
        "She was holding it for a mate. A nurse came once. Her only relative is a niece.",
        "Violet Hall",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["a niece"]);
}

#[test]
fn a_service_home_visit_and_a_name_before_a_place_are_not_ties() {
    let ties = suggest(
        "CAMHS home visit. He goes to the Hindu temple on Sundays with primary school kids.",
        "Ava Mitchell",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["the Hindu temple"]);
}

#[test]
fn a_place_where_someone_is_found_is_part_of_their_tie() {
    let ties = suggest(
        "The imam at their mosque has spoken out. There are no police callouts to the address.",
        "Hodan Ali",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["The imam"]);
}

fn tie_of<'t>(ties: &'t [SuggestedTie], role: &str) -> &'t SuggestedTie {
    ties.iter().find(|t| t.role == role).unwrap_or_else(|| panic!("no {role} in {ties:?}"))
}

#[test]
fn who_does_the_helping_sets_the_flow_of_support() {
    let ties = suggest("Mrs Reed cares for her husband Tom, who has dementia.", "Ann Reed");
    assert_eq!(tie_of(&ties, "husband").support, SupportFlow::FromSubject);
    let ties = suggest("Her daughter Amy looks after her most days.", "Ann Reed");
    assert_eq!(tie_of(&ties, "daughter").support, SupportFlow::ToSubject);
    let ties = suggest("Since the fall she has been looked after by her son Ben.", "Ann Reed");
    assert_eq!(tie_of(&ties, "son").support, SupportFlow::ToSubject);
    let ties = suggest(
        "He gets his little brother up for school. His brother helps him with his reading.",
        "Jack Cole",
    );
    assert_eq!(tie_of(&ties, "brother").support, SupportFlow::Both);
}

#[test]
fn a_stressful_tie_gives_no_support_even_living_together() {
    let ties = suggest(
        "She lives with her brother Sam, who shouts at her and took her purse.",
        "Ann Reed",
    );
    let brother = tie_of(&ties, "brother");
    assert_eq!(brother.quality, TieQuality::Stressful);
    assert_eq!(brother.support, SupportFlow::None);
}

#[test]
fn a_denied_concern_says_nothing_of_the_tie() {
    let ties = suggest(
        "There are no concerns about violence from her son Joe, who visits every day.",
        "Ann Reed",
    );
    assert_eq!(tie_of(&ties, "son").quality, TieQuality::Strong);
}

#[test]
fn others_parting_does_not_break_the_persons_tie() {
    let ties = suggest(
        "His mum and his dad Rob separated in May. Rob takes him to football every Saturday.",
        "Leo Hart",
    );
    assert_ne!(tie_of(&ties, "father").quality, TieQuality::Broken);
    let ties = suggest("She and her husband Mark separated last year.", "Ann Reed");
    assert_eq!(tie_of(&ties, "husband").quality, TieQuality::Broken);
}

#[test]
fn a_person_said_to_live_somewhere_is_a_tie() {
    let ties = suggest("Dad lives in Wolverhampton and rings on Sundays.", "Ann Reed");
    assert_eq!(tie_of(&ties, "father").quality, TieQuality::Moderate);
}

#[test]
fn asking_the_person_is_not_a_plan() {
    let ties = suggest("When I asked, she said her nephew Lee keeps her bank card.", "Ann Reed");
    assert_eq!(tie_of(&ties, "nephew").who, "her nephew Lee");
}

#[test]
fn they_after_a_sentence_about_one_person_carries_on_the_tie() {
    let ties = suggest("Her friend Maya moved in nearby. They argue a lot.", "Ann Reed");
    assert_eq!(tie_of(&ties, "friend").quality, TieQuality::Stressful);
}

#[test]
fn what_opens_the_sentence_before_a_join_is_not_said_of_the_tie() {
    let ties =
        suggest("He stopped going to the gym because his friend Ali moved to Leeds.", "Tom Vale");
    assert_eq!(tie_of(&ties, "friend").quality, TieQuality::Tenuous);
}

#[test]
fn what_a_neighbour_heard_is_not_said_of_them() {
    let ties = suggest("The neighbour heard shouting and a bang and rang the police.", "Ann Reed");
    assert_ne!(tie_of(&ties, "neighbour").quality, TieQuality::Stressful);
}

fn category_of(ties: &[SuggestedTie], role: &str) -> TieCategory {
    tie_of(ties, role).category.clone()
}

#[test]
fn services_practitioners_name_are_found_in_their_categories() {
    let ties = suggest(
        "Mr Lowe sees Dr Okafor about his back. The IMCA met him on Monday. He goes to \
         Talking Therapies on Thursdays. The activities coordinator plays dominoes with him. \
         He picks up his prescriptions from Boots.",
        "Alan Lowe",
    );
    assert_eq!(category_of(&ties, "GP"), TieCategory::Health, "{ties:?}");
    assert_eq!(category_of(&ties, "advocate"), TieCategory::OtherService);
    assert_eq!(category_of(&ties, "therapist"), TieCategory::Health);
    assert_eq!(category_of(&ties, "support worker"), TieCategory::SocialCare);
    assert_eq!(category_of(&ties, "pharmacy"), TieCategory::Health);
}

#[test]
fn a_young_carers_project_is_community_and_godparents_and_twins_are_family() {
    let ties = suggest(
        "Tom goes to the young carers project on Tuesdays. His godmother Jean rings weekly. \
         He helps Mum with the twins.",
        "Tom Hill",
    );
    assert_eq!(category_of(&ties, "young carers service"), TieCategory::Community, "{ties:?}");
    assert_eq!(category_of(&ties, "godparent"), TieCategory::Family);
    assert_eq!(category_of(&ties, "twins"), TieCategory::Family);
}

#[test]
fn belittling_and_fear_make_a_tie_stressful() {
    let ties =
        suggest("Her stepdad calls her useless and she walks on eggshells around him.", "Amy Cole");
    assert_eq!(tie_of(&ties, "stepfather").quality, TieQuality::Stressful, "{ties:?}");
}

#[test]
fn a_service_only_told_of_a_problem_is_tenuous() {
    let ties = suggest("Her housing officer was informed about the leak in May.", "Amy Cole");
    assert_eq!(tie_of(&ties, "housing").quality, TieQuality::Tenuous, "{ties:?}");
}

#[test]
fn a_plural_role_names_each_person_of_a_list() {
    let ties = suggest(
        "Visit to Nell. Her parents, Ada and Ray, take turns with the school run.",
        "Nell Frost",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert_eq!(who, ["Her parents, Ada", "Ray"]);
    let ties = suggest("Zak lives with his cousins Otto (7) and Bo (4) at Gran's.", "Zak Hale");
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert!(who.contains(&"Bo") && who.iter().any(|w| w.contains("Otto")), "{who:?}");
}

#[test]
fn a_couple_by_title_is_one_tie() {
    let ties =
        suggest("Kofi has lived with his foster carers, Mr and Mrs Amos, since May.", "Kofi");
    assert_eq!(ties.len(), 1, "{ties:?}");
}

#[test]
fn a_young_sibling_is_moderate_and_gives_no_support_a_young_child_is_cared_for() {
    let ties = suggest("Finn is 9. His sister Rosa, who's three, was asleep.", "Finn Lowe");
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert_eq!((&ties[0].quality, &ties[0].support), (&TieQuality::Moderate, &SupportFlow::None));
    let ties = suggest("Dana (24) is mum to Theo (2) and is tired.", "Dana Hook");
    let theo: Vec<&SuggestedTie> = ties.iter().filter(|t| t.who.contains("Theo")).collect();
    assert!(theo.is_empty() || theo[0].support == SupportFlow::FromSubject, "{ties:?}");
    let ties = suggest("Her son Theo (2) is teething.", "Dana Hook");
    assert_eq!(
        (&ties[0].quality, &ties[0].support),
        (&TieQuality::Strong, &SupportFlow::FromSubject)
    );
}

#[test]
fn parents_said_together_give_way_to_the_parent_named() {
    let ties = suggest("Her parents are abroad. Her dad rings on Sundays.", "Pia Moss");
    let roles: Vec<&str> = ties.iter().map(|t| t.role.as_str()).collect();
    assert_eq!(roles, ["father"]);
}

#[test]
fn a_parting_is_the_persons_only_when_they_come_before_it() {
    let ties = suggest(
        "Her mum Jo and dad Lee separated in May and it upsets Ivy at handovers.",
        "Ivy Pratt",
    );
    assert!(ties.iter().all(|t| t.quality != TieQuality::Broken), "{ties:?}");
    let ties = suggest("Ivy and her boyfriend Sam split up last week.", "Ivy Pratt");
    assert_eq!(ties[0].quality, TieQuality::Broken);
}

#[test]
fn a_possessive_ending_the_note_is_read_safely() {
    let ties = suggest("Zak stays at his gran's", "Zak Hale");
    assert_eq!(ties.len(), 1, "{ties:?}");
}

#[test]
fn a_relative_of_the_persons_family_is_family_a_strangers_is_not() {
    let ties = suggest(
        "Ola lives with her dad, Tomas. Tomas's sister has Ola after school. Ola's friend Bea's mum drives them.",
        "Ola Berg",
    );
    let who: Vec<&str> = ties.iter().map(|t| t.who.as_str()).collect();
    assert!(who.contains(&"Tomas's sister"), "{who:?}");
    assert!(!who.iter().any(|w| w.contains("Bea's mum")), "{who:?}");
    let ties = suggest("Dad, Tomas, stays over at Gail's mum's.", "Ola Berg");
    assert!(ties.iter().all(|t| !t.who.contains("Gail")), "{ties:?}");
}

#[test]
fn a_relationship_in_quotes_is_doubted_and_stressful() {
    let ties = suggest("Kira talks a lot about her new 'boyfriend', Rio, who is 24.", "Kira Moss");
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert_eq!(ties[0].quality, TieQuality::Stressful);
    assert_eq!(ties[0].support, SupportFlow::None);
}

#[test]
fn a_full_name_said_before_its_role_is_kept_whole() {
    let ties =
        suggest("Mark Hale is Mum's partner. Ben said Mark shouted at him last week.", "Ben Wood");
    let mark: Vec<&SuggestedTie> = ties.iter().filter(|t| t.who.contains("Mark")).collect();
    assert_eq!(mark.len(), 1, "{ties:?}");
    assert_eq!(mark[0].who, "Mark Hale");
    assert_eq!(mark[0].quality, TieQuality::Stressful);
}

#[test]
fn a_teacher_praising_the_person_is_a_strong_tie_a_teacher_reporting_is_not() {
    let ties = suggest("His form tutor says he's top of the class in maths.", "Eli Shaw");
    assert_eq!(ties[0].quality, TieQuality::Strong, "{ties:?}");
    let ties = suggest("His form tutor says he's been late twice this week.", "Eli Shaw");
    assert_ne!(ties[0].quality, TieQuality::Strong, "{ties:?}");
}

#[test]
fn foster_carers_are_the_persons_home() {
    let ties = suggest("Kit has been placed with foster carers since March.", "Kit Rowe");
    assert_eq!(ties[0].quality, TieQuality::Strong, "{ties:?}");
}

#[test]
fn family_living_in_another_town_with_no_regular_contact_is_tenuous() {
    let ties = suggest("Her brother Joe lives in Glasgow.", "Amy Kerr");
    assert_eq!(ties[0].quality, TieQuality::Tenuous, "{ties:?}");
    let ties = suggest("Her brother Joe lives in Glasgow and rings weekly.", "Amy Kerr");
    assert_eq!(ties[0].quality, TieQuality::Moderate, "{ties:?}");
    let ties = suggest("Her brother Joe lives in the next street.", "Amy Kerr");
    assert_ne!(ties[0].quality, TieQuality::Tenuous, "{ties:?}");
}

#[test]
fn the_place_the_person_works_is_their_employer() {
    let roles = |text: &str| -> Vec<(String, String)> {
        suggest(text, "Lena Ford").into_iter().map(|t| (t.who, t.role)).collect()
    };
    assert_eq!(
        roles("Lena works at Pinewood Bakery."),
        [("Pinewood Bakery".into(), "employer".into())]
    );
    assert_eq!(
        roles("She works weekends in a florist and likes it."),
        [("florist".into(), "employer".into())]
    );
    assert!(roles("She works in Madrid most of the year.").is_empty());
    assert!(
        roles("Her husband Omar works at the Tesco depot.").iter().all(|(_, r)| r != "employer")
    );
}

#[test]
fn a_name_after_called_is_the_name_of_the_pet_or_person() {
    let ties = suggest("He has a dog called Biscuit who sleeps on his bed.", "Tom Reed");
    assert_eq!(ties.len(), 1, "{ties:?}");
    assert!(ties[0].who.contains("Biscuit"), "{ties:?}");
}

#[test]
fn a_kind_of_thing_or_a_body_part_is_not_a_tie() {
    let ties =
        suggest("We talked about a carer's assessment. It keeps her head clear.", "Ann Bell");
    assert!(ties.is_empty(), "{ties:?}");
}

#[test]
fn the_childrens_dad_is_in_the_household_network() {
    let ties = suggest("Mum says the children's dad, Rory, is in prison.", "Isla Grant");
    assert!(ties.iter().any(|t| t.who.contains("Rory")), "{ties:?}");
    let ties = suggest("Seen at the children's hospital.", "Isla Grant");
    assert!(ties.iter().all(|t| t.role != "father"), "{ties:?}");
}

#[test]
fn the_manager_of_the_place_that_houses_the_person_is_that_service() {
    let category = |text: &str| suggest(text, "Arthur Bell").first().map(|t| t.category.clone());
    assert_eq!(
        category("The deputy manager told me about an incident on Friday night."),
        Some(TieCategory::SocialCare)
    );
    assert_eq!(
        category("The hotel manager has told families they may be moved."),
        Some(TieCategory::OtherService)
    );
    assert_eq!(category("Her manager at the shop is very understanding."), Some(TieCategory::Work));
}

#[test]
fn how_often_someone_comes_is_read_from_the_frequency_not_the_verb() {
    let quality = |text: &str| suggest(text, "Joan Platt").first().map(|t| t.quality.clone());
    assert_eq!(quality("Her sister Orla comes every couple of months."), Some(TieQuality::Tenuous));
    assert_eq!(quality("Her sister Orla comes every fortnight."), Some(TieQuality::Moderate));
    assert_eq!(quality("Her sister Orla comes every day."), Some(TieQuality::Strong));
}

#[test]
fn a_relative_whose_whereabouts_are_unknown_or_who_cut_contact_is_a_broken_tie() {
    let quality = |text: &str| suggest(text, "Joan Platt").first().map(|t| t.quality.clone());
    assert_eq!(quality("Joan does not know where her son is."), Some(TieQuality::Broken));
    assert_eq!(quality("Her daughter cut contact last year."), Some(TieQuality::Broken));
    assert_eq!(quality("She is terrified of her stepdad."), Some(TieQuality::Stressful));
}

#[test]
fn a_role_word_with_a_possessive_in_it_is_found() {
    let who = |text: &str| {
        suggest(text, "Joan Platt").first().map(|t| (t.who.clone(), t.category.clone()))
    };
    assert_eq!(
        who("He goes to the men's shed."),
        Some(("the men's shed".into(), TieCategory::Community))
    );
    assert_eq!(
        who("She goes to the carer's centre on Tuesdays."),
        Some(("the carer's centre".into(), TieCategory::Community))
    );
}

#[test]
fn a_person_who_visits_is_a_tie_and_a_service_visit_is_not_the_service() {
    let who = |text: &str| suggest(text, "Joan Platt").first().map(|t| t.who.clone());
    assert_eq!(who("The pastor visits every week."), Some("The pastor".into()));
    assert_eq!(who("The school run is hard."), None);
}

#[test]
fn a_name_after_where_someone_is_from_names_them() {
    let who = |text: &str| suggest(text, "Joan Platt").first().map(|t| t.who.clone());
    assert_eq!(
        who("A friend from the mosque, Fadumo, stays most nights."),
        Some("A friend from the mosque, Fadumo".into())
    );
    assert_eq!(who("He has made a friend there, Bilal."), Some("a friend there, Bilal".into()));
    assert_eq!(who("She has a friend from school."), None);
}

#[test]
fn a_carers_assessment_or_a_fish_plant_is_a_thing_not_a_tie() {
    let who = |text: &str| -> Vec<String> {
        suggest(text, "Joan Platt").iter().map(|t| t.who.clone()).collect()
    };
    assert!(who("Plan: carer's assessment for Linda.").is_empty());
    assert!(who("He is an apprentice at the fish plant.").is_empty());
    assert_eq!(who("She stays at her daughter's flat on Sundays."), ["her daughter"]);
    assert_eq!(who("Own room. Says Aunty Funmi is strict but fair."), ["Aunty Funmi"]);
}

#[test]
fn what_the_person_does_after_and_is_not_said_of_the_tie_they_named() {
    let quality = |text: &str| {
        let ties = suggest(text, "Robert Metcalfe");
        ties.iter().find(|t| t.who.contains("Anne")).map(|t| t.quality.clone())
    };
    assert_eq!(
        quality(
            "His wife Anne is kind. He has spoken to no one but Anne and has stopped going out."
        ),
        Some(TieQuality::Strong)
    );
    // Said of the tie itself, it stands.
    assert_eq!(
        quality("His wife Anne has moved out and has stopped ringing."),
        Some(TieQuality::Broken)
    );
}

#[test]
fn a_referral_is_said_of_the_service_referred_to_not_of_who_referred() {
    let qualities = |text: &str| -> Vec<(String, TieQuality)> {
        suggest(text, "Callum Reid").into_iter().map(|t| (t.who, t.quality)).collect()
    };
    assert_eq!(
        qualities("He's very low, and the GP's referred him to CAMHS."),
        [("GP".to_owned(), TieQuality::Moderate), ("CAMHS".to_owned(), TieQuality::Tenuous)]
    );
    assert_eq!(
        qualities("Urgent CAMHS referral made today."),
        [("CAMHS".to_owned(), TieQuality::Tenuous)]
    );
    // The GP's own referral says nothing of the GP.
    assert_eq!(
        qualities("The GP's referral came through on Monday."),
        [("GP".to_owned(), TieQuality::Moderate)]
    );
    // Said to be more than a referral, the tie is what the note says.
    assert_eq!(
        qualities("He was referred to the boxing club and goes every week."),
        [("the boxing club".to_owned(), TieQuality::Strong)]
    );
}

#[test]
fn a_service_said_to_be_none_is_not_a_tie() {
    let who = |text: &str| -> Vec<String> {
        suggest(text, "Kerry Hall").into_iter().map(|t| t.who).collect()
    };
    assert!(who("There are no police call-outs to the address.").is_empty());
    assert!(who("Nothing in police records.").is_empty());
    assert_eq!(who("The GP rang, no, the district nurse did."), ["GP", "the district nurse"]);
}

#[test]
fn named_siblings_are_each_a_tie() {
    let who: Vec<String> = suggest("She cares for her siblings Kai and Reggie.", "Leah Walsh")
        .into_iter()
        .map(|t| t.who)
        .collect();
    assert_eq!(who, ["her siblings Kai", "Reggie"]);
}

#[test]
fn a_pet_the_person_has_is_a_tie_however_introduced() {
    let who = |text: &str| -> Vec<String> {
        suggest(text, "Roy Gedge").into_iter().map(|t| t.who).collect()
    };
    assert_eq!(who("He's got a lurcher, she's his whole world."), ["a lurcher"]);
    assert!(who("He wants his own bed and a dog.").is_empty());
}
