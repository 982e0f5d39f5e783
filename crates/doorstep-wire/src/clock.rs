//! The hybrid logical clock that orders every change across devices: wall-clock milliseconds,
//! a counter for changes within one millisecond or behind a peer's clock, and the device id to
//! break ties, so any two stamps compare the same way on every device.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub device: Uuid,
}

impl Hlc {
    pub fn zero(device: Uuid) -> Self {
        Self { wall_ms: 0, counter: 0, device }
    }

    /// The stamp for a local change after `self`, at wall-clock time `now_ms`.
    pub fn tick(&self, now_ms: u64) -> Self {
        if now_ms > self.wall_ms {
            Self { wall_ms: now_ms, counter: 0, device: self.device }
        } else {
            Self {
                wall_ms: self.wall_ms,
                counter: self.counter.saturating_add(1),
                device: self.device,
            }
        }
    }

    /// This device's clock after seeing a peer's stamp `seen`, at wall-clock time `now_ms`:
    /// never behind anything it has seen.
    pub fn observe(&self, seen: &Hlc, now_ms: u64) -> Self {
        let wall_ms = now_ms.max(self.wall_ms).max(seen.wall_ms);
        let counter = if wall_ms == self.wall_ms && wall_ms == seen.wall_ms {
            self.counter.max(seen.counter).saturating_add(1)
        } else if wall_ms == self.wall_ms {
            self.counter.saturating_add(1)
        } else if wall_ms == seen.wall_ms {
            seen.counter.saturating_add(1)
        } else {
            0
        };
        Self { wall_ms, counter, device: self.device }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_never_goes_back_and_passes_what_it_saw() {
        let a = Hlc::zero(Uuid::from_u128(1));
        let t1 = a.tick(100);
        let t2 = t1.tick(90);
        assert!(t2 > t1, "a wall clock set back must not reorder changes");
        let peer = Hlc { wall_ms: 500, counter: 7, device: Uuid::from_u128(2) };
        let t3 = t2.observe(&peer, 120);
        assert!(t3 > peer);
        assert!(t3.tick(121) > t3);
    }
}
