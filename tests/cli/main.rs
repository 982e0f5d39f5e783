//! End-to-end tests of the `doorstep` command: real processes, real encrypted files.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

mod caseload;
mod common;
mod damage;
mod data_at_rest;
mod devices;
mod ecomap;
mod ecomap_eval;
mod import;
mod models;
mod passphrase;
mod record;
mod records;
mod recovery;
mod search;
mod speech;
mod sync;
mod sync_audio;
mod sync_faults;
mod sync_merge;
mod sync_proxy;
mod sync_support;
mod themes;
mod wipe;
