//! Doorstep's sync, on the device side: records are sealed into envelopes before they leave the
//! device ([`seal`], [`open`]), and every device folds the records it receives into the same state
//! whatever the order, duplication or delay of delivery ([`Replica`]).
//!
//! The server sees only [`doorstep_wire::Envelope`]s; the plaintext [`PlainRecord`] exists only
//! here and in the core. The [`client`] moves envelopes between the store's outbox and the
//! server ([`client::sync`]).

pub mod client;
mod envelope;
mod record;
mod replica;

pub use doorstep_core::model::ElementChange;
pub use envelope::{OpenError, SealError, open, rewrap, seal};
pub use record::{
    AudioHeader, AudioPiece, Change, EcomapChange, EcomapElement, NoteVersion, PersonFieldChange,
    PieceError, PlainRecord, RejectionsChange,
};
pub use replica::{Applied, NoteHistory, Register, Replica, Stamp};
