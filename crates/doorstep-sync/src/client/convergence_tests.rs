//! The merge over real stores. Three devices change the same notes and ecomap through the store
//! (edits, own words, approvals, confirms that change, remove and bring back ties, rejected
//! nodes, the person's aliases and date of birth), seal their
//! changes with the client's queue at random moments, and take in each other's envelopes through
//! the client's receive path in random orders, with duplicates and delays. Once every device has
//! received everything, all three stores show the same notes (current version and history) and
//! the same ecomap, which is what the model merge ([`crate::Replica`]) makes of the same
//! envelopes, and nothing is shared back.

use std::path::Path;

use doorstep_core::ids::{DeviceId, NoteId, PersonId, TieId};
use doorstep_core::keys::{DataKey, SyncKey};
use doorstep_core::model::{
    Ecomap, EcomapTie, MapPoint, NewNote, NewPerson, NoteSource, SupportFlow, TextSpan,
    TieCategory, TieQuality,
};
use doorstep_core::store::{EcomapRejection, Keying, PersonEdit, Store};
use doorstep_wire::{Envelope, Hlc, Stored};
use proptest::prelude::*;
use proptest::sample::Index;
use uuid::Uuid;

use super::apply::{Received, receive};
use super::queue::queue_unshared;
use crate::Replica;

const DEVICES: usize = 3;
const NOTES: usize = 3;
const TIES: usize = 3;
const QUALITIES: [TieQuality; 3] = [TieQuality::Strong, TieQuality::Tenuous, TieQuality::Stressful];

#[derive(Debug, Clone)]
enum Op {
    Edit {
        note: usize,
        text: u8,
    },
    OwnWords {
        note: usize,
    },
    Approve {
        note: usize,
    },
    /// Sets a tie's quality, bringing it back if it was removed.
    SetTie {
        tie: usize,
        quality: usize,
    },
    RemoveTie {
        tie: usize,
    },
    Strength {
        text: u8,
    },
    /// Sets the person's aliases (none for 0) or date of birth (cleared for 0).
    Aliases {
        value: u8,
    },
    Born {
        value: u8,
    },
    /// Rejects a proposed node for the person.
    Reject {
        who: u8,
    },
}

/// A device changes something; perhaps it then syncs: seals what it changed and takes in some of
/// what has been sealed so far, in the order given (repeats included).
#[derive(Debug, Clone)]
struct Step {
    device: usize,
    op: Op,
    sync: bool,
    take: Vec<Index>,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..NOTES, 0..4u8).prop_map(|(note, text)| Op::Edit { note, text }),
        (0..NOTES).prop_map(|note| Op::OwnWords { note }),
        (0..NOTES).prop_map(|note| Op::Approve { note }),
        (0..TIES, 0..QUALITIES.len()).prop_map(|(tie, quality)| Op::SetTie { tie, quality }),
        (0..TIES).prop_map(|tie| Op::RemoveTie { tie }),
        (0..4u8).prop_map(|text| Op::Strength { text }),
        (0..3u8).prop_map(|value| Op::Aliases { value }),
        (0..3u8).prop_map(|value| Op::Born { value }),
        (0..3u8).prop_map(|who| Op::Reject { who }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (0..DEVICES, op(), any::<bool>(), prop::collection::vec(any::<Index>(), 0..8))
        .prop_map(|(device, op, sync, take)| Step { device, op, sync, take })
}

struct Device {
    _dir: tempfile::TempDir,
    store: Store,
    id: DeviceId,
    clock: Hlc,
}

/// The caseload every device starts from: one person, their notes and a confirmed ecomap.
struct World {
    key: SyncKey,
    devices: Vec<Device>,
    person: PersonId,
    notes: Vec<NoteId>,
    ties: Vec<EcomapTie>,
    /// Every envelope sealed so far, in the order it reached the server.
    sealed: Vec<Envelope>,
}

fn tie(n: usize) -> EcomapTie {
    EcomapTie {
        id: TieId::new(),
        who: format!("Friend {n}"),
        aliases: Vec::new(),
        role: "friend".into(),
        category: TieCategory::Friend,
        quality: TieQuality::Moderate,
        support: SupportFlow::Both,
        note: String::new(),
        domains: Vec::new(),
        evidence: None,
    }
}

impl World {
    fn new() -> Self {
        let key = DataKey::generate().unwrap().sync_key();
        let devices = (0..DEVICES)
            .map(|n| {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::create(&dir.path().join("s.db"), &Keying::Unencrypted).unwrap();
                let id = DeviceId::from_uuid(Uuid::from_u128(0xd0 + n as u128));
                Device { _dir: dir, store, id, clock: Hlc::zero(*id.as_uuid()) }
            })
            .collect();
        let mut world = Self {
            key,
            devices,
            person: PersonId::new(),
            notes: Vec::new(),
            ties: (0..TIES).map(tie).collect(),
            sealed: Vec::new(),
        };
        let first = &mut world.devices[0].store;
        let person = NewPerson { name: "Joan Platt".into(), ..NewPerson::default() };
        world.person = first.add_person(&person).unwrap().id;
        for n in 0..NOTES {
            let note = first
                .add_note(NewNote {
                    subject: world.person,
                    visit: None,
                    date: None,
                    service: None,
                    text: format!("Note {n} about the visit."),
                    source: NoteSource::Voice,
                    author: "Sam".into(),
                    external_id: None,
                })
                .unwrap();
            world.notes.push(note.id);
        }
        let mut map = Ecomap::empty(world.person);
        map.ties = world.ties.clone();
        first.save_ecomap(&map, &[], &[]).unwrap();
        world.seal(0);
        let everything: Vec<usize> = (0..world.sealed.len()).collect();
        for device in 1..DEVICES {
            world.take(device, &everything);
        }
        world
    }

    /// Seals the device's changes and sends them: they join what every device may take in.
    fn seal(&mut self, n: usize) {
        let device = &mut self.devices[n];
        queue_unshared(&mut device.store, &self.key, device.id, &mut device.clock).unwrap();
        let outbox = device.store.outbox(10_000).unwrap();
        for entry in &outbox {
            self.sealed.push(serde_json::from_str(&entry.envelope).unwrap());
        }
        let ids: Vec<Uuid> = outbox.iter().map(|e| e.id).collect();
        device.store.mark_pushed(&ids).unwrap();
    }

    /// The device takes in the sealed envelopes at `positions`, in that order, skipping its own.
    fn take(&mut self, n: usize, positions: &[usize]) {
        let device = &mut self.devices[n];
        for &at in positions {
            let envelope = &self.sealed[at];
            if envelope.author == *device.id.as_uuid() {
                continue;
            }
            let stored = Stored { cursor: at as u64 + 1, envelope: envelope.clone() };
            let received =
                receive(&mut device.store, &self.key, &stored, &mut device.clock).unwrap();
            assert!(!matches!(received, Received::SetAside(_)), "{received:?}");
        }
    }

    fn act(&mut self, n: usize, op: &Op) {
        let store = &mut self.devices[n].store;
        let allowed = |result: Result<_, doorstep_core::Error>| match result {
            Ok(_) | Err(doorstep_core::Error::NoteApproved(_)) => {}
            Err(e) => panic!("{e}"),
        };
        match *op {
            Op::Edit { note, text } => {
                let words = format!("Edit {text} on device {n}.");
                allowed(store.edit_note_text(self.notes[note], &words).map(drop));
            }
            Op::OwnWords { note } => {
                let span = [TextSpan::new(0, 4)];
                allowed(store.set_own_words(self.notes[note], &span).map(drop));
            }
            Op::Approve { note } => {
                store.approve_note(self.notes[note], Path::new("/nonexistent")).unwrap();
            }
            Op::Aliases { value } => {
                let aliases = (0..value).map(|v| format!("Alias {v} from {n}")).collect();
                let edit = PersonEdit { aliases: Some(aliases), ..PersonEdit::default() };
                store.edit_person(self.person, &edit).unwrap();
            }
            Op::Born { value } => {
                let born = (value > 0).then(|| {
                    chrono::NaiveDate::from_ymd_opt(1930 + i32::from(value), 1, 1 + n as u32)
                });
                let edit =
                    PersonEdit { date_of_birth: Some(born.flatten()), ..PersonEdit::default() };
                store.edit_person(self.person, &edit).unwrap();
            }
            Op::Reject { who } => {
                let rejection = EcomapRejection {
                    who: if n == 0 { format!("Pal {who}") } else { format!("pal {who}") },
                    category: TieCategory::Friend,
                };
                store.reject_ecomap_node(self.person, &rejection).unwrap();
            }
            Op::SetTie { .. } | Op::RemoveTie { .. } | Op::Strength { .. } => {
                let mut map = store.latest_ecomap(self.person).unwrap().unwrap().map;
                self.change_map(&mut map, op);
                self.devices[n].store.save_ecomap(&map, &[], &[]).unwrap();
            }
        }
    }

    fn change_map(&self, map: &mut Ecomap, op: &Op) {
        match *op {
            Op::SetTie { tie, quality } => {
                let id = self.ties[tie].id;
                if !map.ties.iter().any(|t| t.id == id) {
                    map.ties.push(self.ties[tie].clone());
                }
                for t in map.ties.iter_mut().filter(|t| t.id == id) {
                    t.quality = QUALITIES[quality].clone();
                }
            }
            Op::RemoveTie { tie } => map.ties.retain(|t| t.id != self.ties[tie].id),
            Op::Strength { text } => {
                let point = MapPoint {
                    text: format!("Strength {text}"),
                    domains: Vec::new(),
                    evidence: None,
                };
                map.strengths = vec![point];
            }
            _ => {}
        }
    }

    /// What a device shows: each note's words, status and own words, its history's version ids,
    /// the person's ecomap, aliases and date of birth.
    fn shown(&self, n: usize) -> (Vec<Shown>, Ecomap, Person) {
        let store = &self.devices[n].store;
        let notes = self
            .notes
            .iter()
            .map(|&id| {
                let note = store.note(id).unwrap();
                let history = store.note_history(id).unwrap();
                let versions = history.iter().map(|v| (v.stamp.record, v.text.clone())).collect();
                (note.text, note.status.to_string(), note.own_words, versions)
            })
            .collect();
        let person = store.person(self.person).unwrap();
        let mut rejected: Vec<String> = store
            .ecomap_rejections(self.person)
            .unwrap()
            .into_iter()
            .map(|r| r.who.to_lowercase())
            .collect();
        rejected.sort();
        let map = store.latest_ecomap(self.person).unwrap().unwrap().map;
        (notes, map, (person.aliases, person.date_of_birth, rejected))
    }
}

/// A note as a device shows it: words, status, own words, and its versions' ids and words.
type Shown = (String, String, Vec<TextSpan>, Vec<(Uuid, String)>);
/// A person's aliases, date of birth and rejected nodes (in lower case).
type Person = (Vec<String>, Option<chrono::NaiveDate>, Vec<String>);

/// Every envelope at least once, some twice, in the order of random delays.
fn final_order(count: usize, duplicates: &[Index], delays: &[u16]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    if count > 0 {
        order.extend(duplicates.iter().map(|i| i.index(count)));
    }
    let mut timed: Vec<(u16, usize, usize)> =
        order.into_iter().enumerate().map(|(n, at)| (delays[n % delays.len()], n, at)).collect();
    timed.sort_unstable();
    timed.into_iter().map(|(_, _, at)| at).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn three_stores_converge_whatever_the_delivery(
        steps in prop::collection::vec(step(), 0..24),
        duplicates in prop::collection::vec(prop::collection::vec(any::<Index>(), 0..12), DEVICES),
        delays in prop::collection::vec(prop::collection::vec(any::<u16>(), 1..60), DEVICES),
    ) {
        let mut world = World::new();
        for step in &steps {
            world.act(step.device, &step.op);
            if step.sync && !world.sealed.is_empty() {
                world.seal(step.device);
                let count = world.sealed.len();
                let take: Vec<usize> = step.take.iter().map(|i| i.index(count)).collect();
                world.take(step.device, &take);
            }
        }
        for n in 0..DEVICES {
            world.seal(n);
        }
        for n in 0..DEVICES {
            let order = final_order(world.sealed.len(), &duplicates[n], &delays[n]);
            world.take(n, &order);
        }
        let first = world.shown(0);
        for n in 1..DEVICES {
            prop_assert_eq!(&world.shown(n), &first, "device {} differs from device 0", n);
        }
        for device in &mut world.devices {
            let queued =
                queue_unshared(&mut device.store, &world.key, device.id, &mut device.clock).unwrap();
            prop_assert_eq!(queued, 0, "a device shares back what it received");
        }
        // The model merge over the same envelopes agrees.
        let mut model = Replica::new();
        for envelope in &world.sealed {
            model.apply_envelope(envelope, &world.key).unwrap();
        }
        for (n, id) in world.notes.iter().enumerate() {
            let current = model.note(id).and_then(|h| h.current()).unwrap();
            prop_assert_eq!(&current.text, &first.0[n].0);
            prop_assert_eq!(current.status.as_ref().map(ToString::to_string), Some(first.0[n].1.clone()));
            prop_assert_eq!(current.own_words.as_ref(), Some(&first.0[n].2));
            let history: Vec<(Uuid, String)> = model
                .note(id)
                .map(|h| h.versions().map(|(s, _, v)| (s.record, v.text.clone())).collect())
                .unwrap_or_default();
            prop_assert_eq!(&history, &first.0[n].3);
        }
        let elements = model.ecomap(world.person).map(|(_, element)| element.clone());
        prop_assert_eq!(Ecomap::from_elements(world.person, elements), first.1);
        let aliases: Vec<String> = model
            .person_field(world.person, "aliases")
            .and_then(|r| r.value.as_deref())
            .map(|json| serde_json::from_str(json).unwrap())
            .unwrap_or_default();
        prop_assert_eq!(&aliases, &first.2.0);
        let born = model.person_field(world.person, "date_of_birth").and_then(|r| r.value.as_deref());
        prop_assert_eq!(born.map(|d| d.parse().unwrap()), first.2.1);
        let rejected: Vec<String> = model.rejections(world.person).map(|(who, _)| who.to_owned()).collect();
        prop_assert_eq!(&rejected, &first.2.2);
    }
}
