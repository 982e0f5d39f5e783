//! Reading a CTranslate2 model (`model.bin`, possibly split into `model.bin.part1`, `part2`...).
//!
//! The format, little-endian: u32 version, then strings as u16 length + bytes ending in NUL: the
//! spec name, u32 revision, u32 variable count, then per variable its name, u8 rank, u32 dims,
//! u8 dtype, u32 byte count and the data; then u32 alias count and (alias, target) name pairs.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use half::f16;

use super::ConvertError;

const MAX_VERSION: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ct2Type {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Type {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }
}

#[derive(Debug)]
pub(super) struct Variable {
    pub dims: Vec<usize>,
    pub dtype: Ct2Type,
    pub data: Vec<u8>,
}

impl Variable {
    pub fn len(&self) -> usize {
        self.dims.iter().product()
    }

    /// The values as f32, for float variables.
    pub fn to_f32(&self, name: &str) -> Result<Vec<f32>, ConvertError> {
        let pairs = self.data.chunks_exact(2).map(|b| [b[0], b[1]]);
        Ok(match self.dtype {
            Ct2Type::F16 => pairs.map(|b| f16::from_le_bytes(b).to_f32()).collect(),
            Ct2Type::Bf16 => pairs.map(|b| half::bf16::from_le_bytes(b).to_f32()).collect(),
            Ct2Type::F32 => self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            other => {
                return Err(ConvertError::Unsupported(format!(
                    "{name} is stored as {other:?}; convert the CTranslate2 model with float16 or float32 weights"
                )));
            }
        })
    }

    /// An integer scalar (such as `num_heads`).
    pub fn scalar(&self) -> Option<i64> {
        let b = &self.data;
        match (self.dtype, b.len()) {
            (Ct2Type::I8, 1) => Some(i64::from(b[0] as i8)),
            (Ct2Type::I16, 2) => Some(i64::from(i16::from_le_bytes([b[0], b[1]]))),
            (Ct2Type::I32, 4) => Some(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub(super) struct Ct2Model {
    pub spec: String,
    pub variables: HashMap<String, Variable>,
}

impl Ct2Model {
    pub fn get(&self, name: &str) -> Result<&Variable, ConvertError> {
        self.variables
            .get(name)
            .ok_or_else(|| ConvertError::Malformed(format!("the model has no variable {name}")))
    }
}

/// The model file, or its parts in order, in `dir` (or `dir/data`).
pub(super) fn model_files(dir: &Path) -> Result<Vec<PathBuf>, ConvertError> {
    for candidate in [dir.to_path_buf(), dir.join("data")] {
        let whole = candidate.join("model.bin");
        if whole.is_file() {
            return Ok(vec![whole]);
        }
        let mut parts = Vec::new();
        for n in 1.. {
            let part = candidate.join(format!("model.bin.part{n}"));
            if !part.is_file() {
                break;
            }
            parts.push(part);
        }
        if !parts.is_empty() {
            return Ok(parts);
        }
    }
    Err(ConvertError::NotCt2(format!("no model.bin or model.bin.part1 in {}", dir.display())))
}

/// Reads from a chain of files as one stream, knowing how much is left.
struct Source {
    reader: Box<dyn Read>,
    remaining: u64,
}

impl Source {
    fn open(files: &[PathBuf]) -> Result<Self, ConvertError> {
        let mut reader: Box<dyn Read> = Box::new(std::io::empty());
        let mut remaining = 0;
        for path in files {
            let file = File::open(path).map_err(|e| ConvertError::io(path, e))?;
            remaining += file.metadata().map_err(|e| ConvertError::io(path, e))?.len();
            reader = Box::new(reader.chain(BufReader::with_capacity(1 << 20, file)));
        }
        Ok(Self { reader, remaining })
    }

    fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, ConvertError> {
        if n as u64 > self.remaining {
            return Err(ConvertError::Malformed(format!(
                "the model file ends inside {what} ({n} bytes needed, {} left): is a part missing?",
                self.remaining
            )));
        }
        let mut buf = vec![0u8; n];
        self.reader
            .read_exact(&mut buf)
            .map_err(|e| ConvertError::Malformed(format!("reading {what}: {e}")))?;
        self.remaining -= n as u64;
        Ok(buf)
    }

    fn u8(&mut self, what: &str) -> Result<u8, ConvertError> {
        Ok(self.bytes(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, ConvertError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ConvertError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self, what: &str) -> Result<String, ConvertError> {
        let len = self.u16(what)? as usize;
        let mut bytes = self.bytes(len, what)?;
        if bytes.pop() != Some(0) {
            return Err(ConvertError::Malformed(format!("{what} is not NUL-terminated")));
        }
        String::from_utf8(bytes)
            .map_err(|_| ConvertError::Malformed(format!("{what} is not UTF-8")))
    }
}

pub(super) fn read(files: &[PathBuf]) -> Result<Ct2Model, ConvertError> {
    let mut src = Source::open(files)?;
    let version = src.u32("the version")?;
    if version == 0 || version > MAX_VERSION {
        return Err(ConvertError::NotCt2(format!(
            "{} has format version {version}; versions 1 to {MAX_VERSION} are read",
            files[0].display()
        )));
    }
    let spec = src.string("the spec name")?;
    let _revision = src.u32("the revision")?;
    let count = src.u32("the variable count")?;
    let mut variables = HashMap::new();
    for index in 0..count {
        let name = src.string(&format!("the name of variable {index}"))?;
        let rank = src.u8(&name)?;
        if rank > 4 {
            return Err(ConvertError::Malformed(format!("{name} has rank {rank}")));
        }
        let dims =
            (0..rank).map(|_| src.u32(&name).map(|d| d as usize)).collect::<Result<Vec<_>, _>>()?;
        let code = src.u8(&name)?;
        let dtype = Ct2Type::from_code(code)
            .ok_or_else(|| ConvertError::Malformed(format!("{name} has unknown type {code}")))?;
        let bytes = src.u32(&name)? as usize;
        let expected = dims.iter().product::<usize>() * dtype.size();
        if bytes != expected {
            return Err(ConvertError::Malformed(format!(
                "{name} holds {bytes} bytes but its shape {dims:?} needs {expected}"
            )));
        }
        let data = src.bytes(bytes, &name)?;
        variables.insert(name, Variable { dims, dtype, data });
    }
    Ok(Ct2Model { spec, variables })
}
