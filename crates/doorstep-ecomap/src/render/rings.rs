//! Where each circle goes around the person: the angles and ring radii of a radial layout.
//!
//! This is the only place that solves geometry. Nodes come in their final order (grouped by
//! category); each neighbouring pair is given the angle it needs so that circles keep apart,
//! lines from the centre pass clear of other circles and sector headings have room, then the
//! ring grows until everything fits in a full turn. Past a handful of ties a second, staggered
//! ring is used when it gives a smaller drawing. No randomness: the same input, the same plan.

use std::f64::consts::{FRAC_PI_2, TAU};

/// Clear space between two circles.
const GAP: f64 = 14.0;
/// Clear space between a line from the centre and a circle it passes.
const LINE_CLEAR: f64 = 10.0;
/// The shortest line from the person to a tie, so its pattern can be seen.
pub(crate) const MIN_LINK: f64 = 96.0;
/// Extra arc between two sectors, at the inner ring.
const SECTOR_GAP: f64 = 30.0;
/// Space between the inner and the outer ring's circles.
const RING_GAP: f64 = 14.0;
/// From the outermost circle to the sector arcs, and to the sector headings.
const ARC_OFFSET: f64 = 12.0;
const HEADING_OFFSET: f64 = 22.0;
/// Clear space kept around a sector heading.
const HEADING_PAD: f64 = 8.0;
/// Width along the person's circle that one tie's line and arrow head need.
const PER_LINE_AT_CENTRE: f64 = 16.0;

/// What the solver needs to know: circle sizes in order, the sector of each, heading sizes.
#[derive(Debug, Clone)]
pub(crate) struct RingInput {
    pub centre_r: f64,
    pub radii: Vec<f64>,
    /// Index into `headings` for each node; nodes of one sector are contiguous.
    pub sector_of: Vec<usize>,
    /// Width and height of each sector's heading.
    pub headings: Vec<(f64, f64)>,
}

/// The solved layout, centred on the origin, angles in radians clockwise from the x axis (SVG).
#[derive(Debug, Clone)]
pub(crate) struct RingPlan {
    pub centre_r: f64,
    pub angles: Vec<f64>,
    /// Distance of each node's centre from the person's.
    pub distances: Vec<f64>,
    /// Per sector: the angles its arc starts and ends at.
    pub spans: Vec<(f64, f64)>,
    pub arc_radius: f64,
    /// Per sector: the heading's box as (centre x, centre y, width, height).
    pub headings: Vec<(f64, f64, f64, f64)>,
}

/// Lays the nodes out on one ring, or two when that is smaller.
pub(crate) fn plan(input: &RingInput) -> RingPlan {
    let single = solve(input, false);
    if input.radii.len() < 10 {
        return single;
    }
    let double = solve(input, true);
    if extent(&double) < 0.92 * extent(&single) { double } else { single }
}

/// How far the drawing reaches from the centre.
fn extent(plan: &RingPlan) -> f64 {
    plan.headings
        .iter()
        .map(|(x, y, w, h)| x.abs().max(y.abs()) + w.max(*h) / 2.0)
        .fold(plan.arc_radius, f64::max)
}

/// The smallest inner ring radius that fits, found by growing then narrowing down.
fn solve(input: &RingInput, two_rings: bool) -> RingPlan {
    let max_r = input.radii.iter().copied().fold(0.0, f64::max);
    let mut centre_r = input.centre_r;
    let mut plan = search(input, centre_r, centre_r + max_r + MIN_LINK, two_rings);
    // The person's circle must be wide enough for every line's arrow head to touch it, which
    // depends on the angles found: widen the centre if need be, and solve again.
    for _ in 0..3 {
        let narrowest = narrowest_gap(&plan.angles);
        let needed = if narrowest > 0.0 { PER_LINE_AT_CENTRE / narrowest } else { 0.0 };
        if needed <= centre_r + 0.5 {
            break;
        }
        centre_r = needed.ceil();
        plan = search(input, centre_r, centre_r + max_r + MIN_LINK, two_rings);
    }
    plan
}

fn empty_plan(centre_r: f64) -> RingPlan {
    RingPlan {
        centre_r,
        angles: Vec::new(),
        distances: Vec::new(),
        spans: Vec::new(),
        arc_radius: centre_r,
        headings: Vec::new(),
    }
}

fn search(input: &RingInput, centre_r: f64, floor: f64, two_rings: bool) -> RingPlan {
    let mut low = floor;
    if let Some(plan) = attempt(input, centre_r, low, two_rings, false) {
        return plan;
    }
    let mut high = floor;
    let mut found = None;
    for _ in 0..60 {
        high *= 1.25;
        if let Some(plan) = attempt(input, centre_r, high, two_rings, false) {
            found = Some(plan);
            break;
        }
        low = high;
    }
    let Some(mut best) = found else {
        // Unreachable for sane sizes; lay out regardless of fit rather than draw nothing.
        return attempt(input, centre_r, high, two_rings, true)
            .unwrap_or_else(|| empty_plan(centre_r));
    };
    for _ in 0..14 {
        let mid = (low + high) / 2.0;
        match attempt(input, centre_r, mid, two_rings, false) {
            Some(plan) => {
                best = plan;
                high = mid;
            }
            None => low = mid,
        }
    }
    best
}

/// The smallest angle between two neighbouring nodes.
fn narrowest_gap(angles: &[f64]) -> f64 {
    if angles.len() < 2 {
        return 0.0;
    }
    let wrap = angles[0] + TAU - angles[angles.len() - 1];
    angles.windows(2).map(|w| w[1] - w[0]).fold(wrap, f64::min)
}

/// One try at inner ring radius `inner`; `None` when something would not fit. With `force`,
/// lays out even when it does not fit.
fn attempt(
    input: &RingInput,
    centre_r: f64,
    inner: f64,
    two_rings: bool,
    force: bool,
) -> Option<RingPlan> {
    let n = input.radii.len();
    if n == 0 {
        return Some(empty_plan(centre_r));
    }
    let r = &input.radii;
    let outer_ring = |i: usize| two_rings && i % 2 == 1;
    let max_in = (0..n).filter(|i| !outer_ring(*i)).map(|i| r[i]).fold(0.0, f64::max);
    let max_out = (0..n).filter(|i| outer_ring(*i)).map(|i| r[i]).fold(0.0, f64::max);
    let outer = inner + max_in + max_out + RING_GAP;
    let dist: Vec<f64> = (0..n).map(|i| if outer_ring(i) { outer } else { inner }).collect();
    let reach = (0..n).map(|i| dist[i] + r[i]).fold(0.0, f64::max);
    let arc_radius = reach + ARC_OFFSET;
    let heading_radius = reach + HEADING_OFFSET;

    // The angle each node needs to the next one round (the last to the first).
    let mut need = vec![0.0; n];
    if n > 1 {
        for i in 0..n {
            let j = (i + 1) % n;
            let mut angle = if dist[i] == dist[j] {
                chord_angle(r[i] + r[j] + GAP, dist[i])?
            } else {
                // The line to the outer node passes the inner one.
                let (k, _) = if dist[i] < dist[j] { (i, j) } else { (j, i) };
                clear_angle(r[k] + LINE_CLEAR, dist[k])?
            };
            if input.sector_of[i] != input.sector_of[j] {
                angle += SECTOR_GAP / inner;
            }
            need[i] = angle;
        }
        // Two apart on the same ring must not touch either.
        if n > 2 {
            for i in 0..n {
                let (j, k) = ((i + 1) % n, (i + 2) % n);
                if dist[i] == dist[k] && i != k {
                    let wanted = chord_angle(r[i] + r[k] + GAP, dist[i])?;
                    let short = wanted - need[i] - need[j];
                    if short > 0.0 {
                        need[i] += short / 2.0;
                        need[j] += short / 2.0;
                    }
                }
            }
        }
    }
    // Each sector wide enough for its heading.
    let sectors = sector_ranges(&input.sector_of);
    if sectors.len() > 1 {
        for (s, &(first, last)) in sectors.iter().enumerate() {
            let before = (first + n - 1) % n;
            let span: f64 =
                (first..last).map(|i| need[i]).sum::<f64>() + need[before] / 2.0 + need[last] / 2.0;
            let wanted = (input.headings[s].0 + 2.0 * HEADING_PAD) / heading_radius;
            if wanted > span {
                need[before] += wanted - span;
                need[last] += wanted - span;
            }
        }
    }
    let total: f64 = need.iter().sum();
    if total > TAU && !force {
        return None;
    }
    if n > 1 {
        let spare = (TAU - total).max(0.0) / n as f64;
        need.iter_mut().for_each(|angle| *angle += spare);
    }
    let mut angles = Vec::with_capacity(n);
    let mut angle = if n == 1 { -FRAC_PI_2 } else { -FRAC_PI_2 + need[n - 1] / 2.0 };
    for step in &need {
        angles.push(angle);
        angle += step;
    }

    let mut spans = Vec::with_capacity(sectors.len());
    let mut headings = Vec::with_capacity(sectors.len());
    for (s, &(first, last)) in sectors.iter().enumerate() {
        let before = (first + n - 1) % n;
        let pad = 8.0 / arc_radius;
        // The arc covers its circles and a little more, within the sector.
        let cover = |i: usize| (r[i] / dist[i]).min(1.0).asin() + 2.0 * pad;
        let start = (angles[first] - cover(first)).max(angles[first] - need[before] / 2.0 + pad);
        let end = (angles[last] + cover(last)).min(angles[last] + need[last] / 2.0 - pad);
        spans.push((start, end));
        let (w, h) = input.headings[s];
        let mid = (start + end) / 2.0;
        let (ux, uy) = (mid.cos(), mid.sin());
        let push = heading_radius + ux.abs() * w / 2.0 + uy.abs() * h / 2.0;
        headings.push((ux * push, uy * push, w, h));
    }
    if !force && headings_collide(&headings) {
        return None;
    }
    Some(RingPlan { centre_r, angles, distances: dist, spans, arc_radius, headings })
}

/// The angle between two points on a circle of `radius` that are `chord` apart.
fn chord_angle(chord: f64, radius: f64) -> Option<f64> {
    let sine = chord / (2.0 * radius);
    (sine < 1.0).then(|| 2.0 * sine.asin())
}

/// The angle at which a ray from the centre passes `clearance` from a point at `radius`.
fn clear_angle(clearance: f64, radius: f64) -> Option<f64> {
    let sine = clearance / radius;
    (sine < 0.9).then(|| sine.asin())
}

/// First and last node index of each sector.
fn sector_ranges(sector_of: &[usize]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (i, sector) in sector_of.iter().enumerate() {
        match ranges.last_mut() {
            Some(range) if sector_of[range.0] == *sector => range.1 = i,
            _ => ranges.push((i, i)),
        }
    }
    ranges
}

fn headings_collide(headings: &[(f64, f64, f64, f64)]) -> bool {
    headings.iter().enumerate().any(|(i, a)| {
        headings[i + 1..].iter().any(|b| {
            (a.0 - b.0).abs() < (a.2 + b.2) / 2.0 + HEADING_PAD
                && (a.1 - b.1).abs() < (a.3 + b.3) / 2.0 + HEADING_PAD / 2.0
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(radii: Vec<f64>, per_sector: usize) -> RingInput {
        let n = radii.len();
        let sector_of: Vec<usize> = (0..n).map(|i| i / per_sector).collect();
        let sectors = sector_of.last().map_or(0, |s| s + 1);
        RingInput { centre_r: 50.0, radii, sector_of, headings: vec![(90.0, 14.0); sectors] }
    }

    fn centres(plan: &RingPlan) -> Vec<(f64, f64)> {
        plan.angles.iter().zip(&plan.distances).map(|(a, d)| (a.cos() * d, a.sin() * d)).collect()
    }

    #[test]
    fn circles_keep_apart_on_one_ring_and_on_two() {
        for n in [1, 2, 5, 12, 30] {
            let radii: Vec<f64> = (0..n).map(|i| 34.0 + (i % 4) as f64 * 12.0).collect();
            let plan = plan(&input(radii.clone(), 3));
            let points = centres(&plan);
            for i in 0..n {
                assert!(plan.distances[i] - radii[i] >= plan.centre_r + MIN_LINK - 1e-6);
                for j in i + 1..n {
                    let d = (points[i].0 - points[j].0).hypot(points[i].1 - points[j].1);
                    assert!(d >= radii[i] + radii[j] + GAP - 1e-6, "{n} nodes: {i} and {j} touch");
                }
            }
        }
    }

    #[test]
    fn sectors_run_clockwise_from_the_top_in_order() {
        let plan = plan(&input(vec![40.0; 6], 2));
        assert!(plan.angles.windows(2).all(|w| w[1] > w[0]));
        assert!(plan.angles[0] > -FRAC_PI_2 && plan.angles[5] < -FRAC_PI_2 + TAU);
        assert_eq!(plan.spans.len(), 3);
    }
}
