//! Exponential backoff with jitter, for a connection that comes and goes: each retry waits
//! twice as long as the one before (up to a cap), and a random part of it, so devices that lost
//! signal together do not come back in step. Bounded: a sync gives up after a few attempts and
//! says so, and the outbox keeps everything for the next one. A try that hears nothing from the
//! server for [`Retry::timeout`] (a stalled connection, a captive portal) counts as failed.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait before the first retry (before jitter).
    pub base: Duration,
    /// The longest wait between two tries.
    pub cap: Duration,
    /// How long one try may go without hearing from the server (connecting, or between two
    /// reads of its answer) before it is given up.
    pub timeout: Duration,
}

impl Default for Retry {
    /// Five tries over about four seconds: enough to ride out a blip, short enough that a
    /// practitioner in a lay-by is told quickly that there is no signal. Half a minute of
    /// silence is a stalled connection even on a poor mobile link.
    fn default() -> Self {
        Self {
            attempts: 5,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(8),
            timeout: Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// The wait after failed try number `attempt` (1-based): half the exponential step, plus a
    /// random part of the other half ("equal jitter").
    pub fn delay(&self, attempt: u32, rng: &mut fastrand::Rng) -> Duration {
        let doubling = attempt.saturating_sub(1).min(30);
        let step = self.base.saturating_mul(1u32 << doubling).min(self.cap);
        let half = step / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rng.u64(0..=jitter_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_within_their_jitter_and_stop_at_the_cap() {
        let retry = Retry::default();
        let mut rng = fastrand::Rng::with_seed(7);
        for attempt in 1..=12 {
            let step = (retry.base * 2u32.pow(attempt - 1)).min(retry.cap);
            for _ in 0..50 {
                let d = retry.delay(attempt, &mut rng);
                assert!(d >= step / 2 && d <= step, "attempt {attempt}: {d:?} vs {step:?}");
            }
        }
        assert!(retry.delay(u32::MAX, &mut rng) <= retry.cap);
    }
}
