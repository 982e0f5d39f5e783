//! The layout's promises: nothing overlaps, everything is on the canvas, the same map always
//! lands in the same place.

use super::*;
use crate::render::samples::{self, tie};
use doorstep_core::model::{SupportFlow, TieQuality};

type Bounds = (f64, f64, f64, f64);

fn overlaps(a: Bounds, b: Bounds) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn circle_bounds(c: &Circle) -> Bounds {
    (c.x - c.r, c.y - c.r, c.x + c.r, c.y + c.r)
}

/// Whether the box is wholly inside the circle.
fn inside(b: Bounds, c: &Circle) -> bool {
    [(b.0, b.1), (b.2, b.1), (b.0, b.3), (b.2, b.3)]
        .iter()
        .all(|(x, y)| (x - c.x).hypot(y - c.y) <= c.r)
}

/// Shortest distance from point `p` to the segment `a`–`b`.
fn to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

fn rect_bounds(r: &Rect) -> Bounds {
    (r.x, r.y, r.x + r.width, r.y + r.height)
}

/// Checks every promise of the layout of `map`, naming the first one broken.
fn assert_clean(map: &Ecomap, name: &str) {
    let layout = layout(map, name);
    let on_canvas = |b: Bounds, what: &str| {
        assert!(
            b.0 >= 0.0 && b.1 >= 0.0 && b.2 <= layout.width && b.3 <= layout.height,
            "{what} is off the canvas"
        );
    };
    let mut circles = vec![layout.centre];
    circles.extend(layout.ties.iter().map(|t| t.circle));
    for (i, a) in circles.iter().enumerate() {
        on_canvas(circle_bounds(a), "a circle");
        for b in &circles[i + 1..] {
            let gap = (a.x - b.x).hypot(a.y - b.y) - a.r - b.r;
            assert!(gap >= 8.0, "{} ties: circles {gap:.1} apart", map.ties.len());
        }
    }
    for line in &layout.centre_label {
        assert!(inside(line.bounds(), &layout.centre), "{:?} spills out", line.text);
    }
    for placed in &layout.ties {
        assert!(!placed.label.is_empty());
        for line in &placed.label {
            assert!(inside(line.bounds(), &placed.circle), "{:?} spills out", line.text);
        }
        // The line from the person to this tie passes clear of every other circle.
        let (c, p) = (layout.centre, placed.circle);
        let d = (p.x - c.x).hypot(p.y - c.y);
        let u = ((p.x - c.x) / d, (p.y - c.y) / d);
        let from = (c.x + u.0 * c.r, c.y + u.1 * c.r);
        let to = (p.x - u.0 * p.r, p.y - u.1 * p.r);
        assert!(d - c.r - p.r >= 90.0, "a line only {:.0} long", d - c.r - p.r);
        for other in layout.ties.iter().filter(|o| o.tie != placed.tie) {
            let o = other.circle;
            let clear = to_segment((o.x, o.y), from, to) - o.r;
            assert!(clear >= 6.0, "a line passes {clear:.1} from a circle");
        }
    }
    let headings: Vec<Bounds> = layout.sectors.iter().map(|s| s.heading.bounds()).collect();
    let legend = rect_bounds(&layout.legend);
    on_canvas(legend, "the key");
    for (i, h) in headings.iter().enumerate() {
        on_canvas(*h, "a heading");
        assert!(!overlaps(*h, legend), "a heading is under the key");
        for c in &circles {
            assert!(!overlaps(*h, circle_bounds(c)) || !touches(*h, c), "a heading on a circle");
        }
        for other in &headings[i + 1..] {
            assert!(!overlaps(*h, *other), "two headings overlap");
        }
    }
    for c in &circles {
        assert!(!overlaps(circle_bounds(c), legend), "a circle is under the key");
    }
    for line in &layout.title {
        on_canvas(line.bounds(), "the title");
        for c in &circles {
            assert!(!overlaps(line.bounds(), circle_bounds(c)), "the title is on a circle");
        }
    }
}

/// Whether a box and a circle really touch (not only their bounding boxes).
fn touches(b: Bounds, c: &Circle) -> bool {
    let x = c.x.clamp(b.0, b.2);
    let y = c.y.clamp(b.1, b.3);
    (x - c.x).hypot(y - c.y) < c.r
}

#[test]
fn nothing_overlaps_from_one_tie_to_thirty() {
    let mut one = samples::joan();
    one.ties.truncate(1);
    for (map, name) in [
        (one, "Joan"),
        (samples::joan(), "Joan Smith"),
        (samples::twelve(), "Bernard O'Neill-Hughes"),
        (samples::thirty(), "جدة فاطمة الزهراء 👵"),
    ] {
        assert_clean(&map, name);
    }
}

#[test]
fn thirty_long_names_in_one_category_still_fit() {
    let mut map = samples::thirty();
    for (i, tie) in map.ties.iter_mut().enumerate() {
        tie.who = match i % 3 {
            0 => format!("Bartholomew-Featherstonehaugh Wolfeschlegelsteinhausen {i}"),
            1 => format!("جدة فاطمة عبد الرحمن الإسكندراني {i}"),
            _ => format!("👨‍👩‍👧‍👦🐕🐈 {i} 🏠🧓👵"),
        };
        tie.role = "a long description of the relationship".into();
    }
    assert_clean(&map, "Someone With A Very Long Name Indeed That Goes On And On Forever");
    for tie in &mut map.ties {
        tie.category = TieCategory::Family;
    }
    assert_clean(&map, "Joan");
}

#[test]
fn an_empty_map_is_the_person_alone() {
    let mut map = samples::joan();
    map.ties.clear();
    let layout = layout(&map, "");
    assert!(layout.ties.is_empty() && layout.sectors.is_empty());
    assert_eq!(layout.centre_label[0].text, "the person");
    assert_clean(&map, "Joan");
}

#[test]
fn the_same_ties_in_any_order_land_in_the_same_places() {
    let map = samples::thirty();
    let mut reversed = map.clone();
    reversed.ties.reverse();
    let (a, b) = (layout(&map, "Joan"), layout(&reversed, "Joan"));
    assert_eq!(a, layout(&map, "Joan"));
    let place = |l: &Layout, m: &Ecomap| -> Vec<(String, (f64, f64))> {
        l.ties.iter().map(|t| (m.ties[t.tie].who.clone(), (t.circle.x, t.circle.y))).collect()
    };
    assert_eq!(place(&a, &map), place(&b, &reversed));
    assert_eq!((a.width, a.height), (b.width, b.height));
}

#[test]
fn sectors_follow_the_fixed_category_order() {
    let layout = layout(&samples::joan(), "Joan");
    let names: Vec<&str> = layout.sectors.iter().map(|s| s.heading.text.as_str()).collect();
    assert_eq!(names, ["Family", "Pets", "Neighbours", "Health"]);
}

#[test]
fn the_role_is_shown_only_when_the_name_does_not_say_it() {
    let mut karen = tie("her daughter Karen", "Daughter", TieCategory::Family, TieQuality::Strong);
    karen.support = SupportFlow::ToSubject;
    assert!(!role_adds(&karen));
    let patel = tie("Dr Patel", "GP", TieCategory::Health, TieQuality::Moderate);
    assert!(role_adds(&patel));
    let label = tie_label(&patel);
    assert_eq!(label.last().map(|l| (l.text.as_str(), l.style)), Some(("GP", TextStyle::Role)));
}
