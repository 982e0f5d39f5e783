//! Token buckets held in the app state: a caller may send `burst` requests at once and
//! `per_second` on average after that. Devices are counted by their id, so one runaway or
//! stolen device cannot starve the others; registration, which has no device yet, is counted by
//! the peer's address, so no one can open spaces without end. Both are per server process, so
//! behind a load balancer each server counts alone (and behind a reverse proxy every
//! registration comes from the proxy's address, which makes that limit a server-wide one).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// The limit every device gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests a device may make at once after a pause.
    pub burst: f64,
    /// Requests per second a device may keep up.
    pub per_second: f64,
}

impl Default for RateLimit {
    /// Generous for a device syncing thousands of records in batches, and still a ceiling.
    fn default() -> Self {
        Self { burst: 60.0, per_second: 20.0 }
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One bucket per caller `K` (a device id, a peer address).
#[derive(Debug)]
pub(super) struct RateLimiter<K> {
    limit: RateLimit,
    buckets: Mutex<HashMap<K, Bucket>>,
}

impl<K: Eq + Hash> RateLimiter<K> {
    pub(super) fn new(limit: RateLimit) -> Self {
        Self { limit, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from the caller's bucket at `now`; if it is empty, the whole seconds
    /// until it holds one again.
    pub(super) fn take(&self, caller: K, now: Instant) -> Result<(), u64> {
        // A panic elsewhere cannot leave a bucket half-updated in a way that matters.
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = buckets.entry(caller).or_insert(Bucket { tokens: self.limit.burst, at: now });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if self.limit.per_second > 0.0 {
            let wait = ((1.0 - bucket.tokens) / self.limit.per_second).ceil();
            // Bounded by the cast: a limit of a request every few centuries saturates.
            Err(wait as u64)
        } else {
            Err(u64::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_device_gets_its_burst_then_refills_at_its_rate_and_devices_count_apart() {
        let limiter = RateLimiter::new(RateLimit { burst: 3.0, per_second: 2.0 });
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(a, t0), Ok(()));
        }
        assert_eq!(limiter.take(a, t0), Err(1));
        assert_eq!(limiter.take(b, t0), Ok(()), "another device has its own bucket");
        assert_eq!(limiter.take(a, t0 + Duration::from_millis(500)), Ok(()));
        assert!(limiter.take(a, t0 + Duration::from_millis(500)).is_err());
        // A long pause refills only up to the burst.
        let later = t0 + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(limiter.take(a, later), Ok(()));
        }
        assert!(limiter.take(a, later).is_err());
    }
}
