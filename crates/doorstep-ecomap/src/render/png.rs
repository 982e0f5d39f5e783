//! The ecomap as a PNG, rasterised from its SVG by resvg, with the text set in fonts found on
//! the device.
//!
//! PNG is for where SVG cannot go (printing from a phone, attaching to a case record). A PNG
//! without its names would be worse than none, so a missing font is an error, never a drawing
//! with blank circles. Loading fonts takes a while; keep one [`Fonts`] and reuse it.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use doorstep_core::model::Ecomap;
use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::EcomapError;

/// Families looked for first, as in the SVG's `font-family`; any other font will do after them.
const PREFERRED: [&str; 4] = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial"];
/// Fonts with emoji and symbols, for names that have them.
const SYMBOLS: [&str; 2] = ["Symbola", "Noto Emoji"];
/// The largest scale, and the most pixels, a PNG may have (a 30-tie map at 4x is ~40M).
pub const MAX_SCALE: f32 = 8.0;
const MAX_PIXELS: u64 = 100_000_000;

/// The fonts a PNG's text is set in.
#[derive(Clone)]
pub struct Fonts {
    db: Arc<fontdb::Database>,
    family: String,
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.db.len())
            .field("family", &self.family)
            .finish()
    }
}

impl Fonts {
    /// The fonts installed on this system.
    pub fn system() -> Result<Self, EcomapError> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Self::from_database(&db, "the system's font folders")
    }

    /// The fonts in `dir` (for fonts shipped with the app).
    pub fn from_dir(dir: &Path) -> Result<Self, EcomapError> {
        let mut db = fontdb::Database::new();
        db.load_fonts_dir(dir);
        Self::from_database(&db, &dir.display().to_string())
    }

    fn from_database(scanned: &fontdb::Database, searched: &str) -> Result<Self, EcomapError> {
        let has = |name: &str| scanned.faces().any(|face| has_family(face, name));
        let family = match PREFERRED.iter().find(|name| has(name)) {
            Some(name) => (*name).to_owned(),
            None => scanned
                .faces()
                .filter_map(|face| face.families.first().map(|(family, _)| family.clone()))
                .min()
                .ok_or_else(|| EcomapError::NoFont { searched: searched.to_owned() })?,
        };
        // A font left on disk is read again for every line of text set in it: hold the text
        // family and the symbol fonts in memory, first, and leave the rest for rare fallbacks.
        let mut db = fontdb::Database::new();
        let mut held = Vec::new();
        for face in scanned.faces() {
            let wanted =
                has_family(face, &family) || SYMBOLS.iter().any(|name| has_family(face, name));
            if let (true, fontdb::Source::File(path)) = (wanted, &face.source)
                && !held.contains(path)
                && let Ok(data) = std::fs::read(path)
            {
                db.load_font_data(data);
                held.push(path.clone());
            }
        }
        for face in scanned.faces() {
            if !matches!(&face.source, fontdb::Source::File(path) if held.contains(path)) {
                db.push_face_info(face.clone());
            }
        }
        db.set_sans_serif_family(family.clone());
        Ok(Self { db: Arc::new(db), family })
    }

    /// The family names are set in.
    pub fn family(&self) -> &str {
        &self.family
    }
}

/// Draws `map` as a PNG at `scale` times the SVG's size (1.0 for screen, 2.0–3.0 for print).
pub fn png_with(
    map: &Ecomap,
    person_name: &str,
    scale: f32,
    fonts: &Fonts,
) -> Result<Vec<u8>, EcomapError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
        return Err(render_error(format!("the scale {scale} is not between 0 and {MAX_SCALE}")));
    }
    let svg = super::svg(map, person_name);
    let options = usvg::Options {
        font_family: fonts.family.clone(),
        fontdb: Arc::clone(&fonts.db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| render_error(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| render_error("the drawing has no size at this scale".into()))?;
    if u64::from(size.width()) * u64::from(size.height()) > MAX_PIXELS {
        return Err(render_error(format!(
            "{}x{} pixels is too large; use a smaller scale",
            size.width(),
            size.height()
        )));
    }
    let mut pixmap = Pixmap::new(size.width(), size.height())
        .ok_or_else(|| render_error("no canvas of that size could be made".into()))?;
    pixmap.fill(Color::WHITE);
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode(&pixmap).map_err(|e| render_error(e.to_string()))
}

fn has_family(face: &fontdb::FaceInfo, name: &str) -> bool {
    face.families.iter().any(|(family, _)| family == name)
}

/// The pixels as an RGB PNG, quickly compressed. The canvas is opaque (filled white first), so
/// dropping alpha loses nothing.
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> =
        pixmap.pixels().iter().flat_map(|p| [p.red(), p.green(), p.blue()]).collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

fn render_error(reason: String) -> EcomapError {
    EcomapError::Render { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::samples;

    fn decoded(png: &[u8]) -> Pixmap {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        Pixmap::decode_png(png).unwrap()
    }

    /// Share of pixels that are not white.
    fn inked(pixmap: &Pixmap) -> f64 {
        let dark = pixmap.pixels().iter().filter(|p| p.red() < 200 || p.blue() < 200).count();
        dark as f64 / pixmap.pixels().len() as f64
    }

    #[test]
    fn draws_a_png_of_the_svgs_size_with_ink_on_it() {
        let fonts = Fonts::system().unwrap();
        let map = samples::joan();
        let layout = crate::render::layout(&map, "Joan");
        let pixmap = decoded(&png_with(&map, "Joan", 1.0, &fonts).unwrap());
        assert_eq!(pixmap.width(), layout.width as u32);
        assert_eq!(pixmap.height(), layout.height as u32);
        let ink = inked(&pixmap);
        assert!(ink > 0.01 && ink < 0.5, "{ink}");
        let double = decoded(&png_with(&map, "Joan", 2.0, &fonts).unwrap());
        assert_eq!(double.width(), pixmap.width() * 2);
    }

    #[test]
    fn the_names_are_drawn() {
        // Inside the person's circle there is nothing but their name: it must leave ink.
        let fonts = Fonts::system().unwrap();
        let map = samples::joan();
        let pixmap = decoded(&png_with(&map, "Joan Smith", 1.0, &fonts).unwrap());
        let centre = crate::render::layout(&map, "Joan Smith").centre;
        let mut dark = 0;
        for y in 0..pixmap.height() {
            for x in 0..pixmap.width() {
                let inside =
                    (f64::from(x) - centre.x).hypot(f64::from(y) - centre.y) < centre.r - 8.0;
                let pixel = pixmap.pixel(x, y).unwrap();
                if inside && pixel.red() < 128 {
                    dark += 1;
                }
            }
        }
        assert!(dark > 100, "only {dark} dark pixels in the name");
    }

    #[test]
    fn no_fonts_and_bad_scales_are_errors() {
        let empty = tempfile::tempdir().unwrap();
        let err = Fonts::from_dir(empty.path()).unwrap_err();
        assert!(matches!(err, EcomapError::NoFont { .. }), "{err}");
        let fonts = Fonts::system().unwrap();
        for scale in [0.0, -1.0, f32::NAN, 100.0] {
            let err = png_with(&samples::joan(), "Joan", scale, &fonts).unwrap_err();
            assert!(matches!(err, EcomapError::Render { .. }), "{err}");
        }
    }
}

/// Writes the sample maps as PNGs into the folder named by `DOORSTEP_ECOMAP_PNG_DIR`, to look at
/// them; does nothing without it.
#[cfg(test)]
#[test]
fn write_sample_pngs() {
    let Some(dir) = std::env::var_os("DOORSTEP_ECOMAP_PNG_DIR") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fonts = Fonts::system().unwrap();
    use crate::render::samples;
    for (file, map, name) in [
        ("ecomap-5.png", samples::joan(), "Joan Smith"),
        ("ecomap-12.png", samples::twelve(), "Bernard O'Neill-Hughes"),
        ("ecomap-30.png", samples::thirty(), "Amira Haddad"),
    ] {
        std::fs::write(dir.join(file), png_with(&map, name, 1.0, &fonts).unwrap()).unwrap();
        std::fs::write(dir.join(file).with_extension("svg"), super::svg(&map, name)).unwrap();
    }
}
