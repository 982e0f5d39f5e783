//! Strengths the network shows: a relative the note says helps the person is family support
//! however the help is worded ("her mum moved into the spare room and does the 2am feed"),
//! which the theme taxonomy's phrases cannot list. Offered to the theme tagger as mentions, so
//! a tag still passes its judgement of denial, plans and the past.

use doorstep_core::model::{SupportFlow, TieQuality};
use doorstep_themes::MeaningMatch;

use crate::extract::Suggestion;
use crate::lexicon::Lexicon;

/// Each tie the note says helps the person, as a mention of the strength theme its category
/// shows (`[helping]` in the lexicon). A strained or fading tie is not a strength however much
/// it helps.
pub fn helping_mentions(lexicon: &Lexicon, suggestion: &Suggestion) -> Vec<MeaningMatch> {
    suggestion
        .ties
        .iter()
        .filter(|t| matches!(t.support, SupportFlow::ToSubject | SupportFlow::Both))
        .filter(|t| matches!(t.quality, TieQuality::Strong | TieQuality::Moderate))
        .filter_map(|t| {
            let theme = lexicon.helping.get(&t.category)?;
            let help = t.help.as_ref()?;
            Some(MeaningMatch {
                theme: theme.clone(),
                start: help.start,
                end: help.end,
                similarity: 1.0,
            })
        })
        .collect()
}
