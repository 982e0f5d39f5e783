//! Strengths the network shows: a relative the note says helps the person is family support
//! however the help is worded ("her mum moved into the spare room and does the 2am feed"), a
//! friend, neighbour or group that helps is a community strength, and the person's own job is
//! work and activities. The theme taxonomy's phrases cannot list these. Offered to the theme
//! tagger as mentions, so a tag still passes its judgement of denial, plans and the past.

use doorstep_core::model::{SupportFlow, TieQuality};
use doorstep_themes::MeaningMatch;

use crate::extract::Suggestion;
use crate::lexicon::Lexicon;

/// Each tie the note says helps the person, as a mention of the strength theme its category
/// shows (`[helping]` in the lexicon), and each tie the person takes part in, as a mention of
/// the theme of taking part (`[taking_part]`: their own job, where help passes one way or the
/// other; a relative's job passes nothing to them). A strained or fading tie is not a strength
/// however much it helps.
pub fn helping_mentions(lexicon: &Lexicon, suggestion: &Suggestion) -> Vec<MeaningMatch> {
    suggestion
        .ties
        .iter()
        .filter(|t| matches!(t.quality, TieQuality::Strong | TieQuality::Moderate))
        .filter_map(|t| {
            let helped = matches!(t.support, SupportFlow::ToSubject | SupportFlow::Both);
            let (theme, passage) = match (lexicon.helping.get(&t.category), &t.help) {
                (Some(theme), Some(help)) if helped => (theme, help),
                _ if t.support == SupportFlow::None => return None,
                _ => (lexicon.taking_part.get(&t.category)?, &t.evidence),
            };
            Some(MeaningMatch {
                theme: theme.clone(),
                start: passage.start,
                end: passage.end,
                similarity: 1.0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Extractor;

    fn offered(text: &str) -> Vec<String> {
        let lexicon = Lexicon::built_in().expect("built-in lexicon");
        let suggestion = Extractor::new(&lexicon).suggest(text, None).expect("suggestion");
        helping_mentions(&lexicon, &suggestion).into_iter().map(|m| m.theme.to_string()).collect()
    }

    #[test]
    fn who_helps_and_what_the_person_takes_part_in_are_strengths() {
        assert_eq!(
            offered("Her neighbour Pat does her shopping every week."),
            ["strength_community"]
        );
        assert_eq!(
            offered("Her daughter Karen does her shopping every week."),
            ["strength_family_support"]
        );
        assert_eq!(
            offered("His colleagues at the depot have been really supportive."),
            ["strength_work_learning"]
        );
    }

    #[test]
    fn a_relatives_job_or_a_helper_who_is_only_named_is_no_strength() {
        assert!(offered("Her mum has taken unpaid leave from her job to be at home.").is_empty());
        assert!(offered("Her neighbour Pat lives across the road.").is_empty());
    }
}
