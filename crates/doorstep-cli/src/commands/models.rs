//! `doorstep models ...`: convert, list, verify and download Whisper models.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context as _, bail};
use doorstep_speech::convert::{Conversion, TensorType, import_ct2};
use doorstep_speech::models::{
    Basis, ConversionRecord, DownloadOptions, DownloadRequest, Downloader, Manifest, ModelEntry,
    ModelFile, Origin, Quantisation, Verification, VerifyError, partial_bytes, resolve_model, scan,
    sidecar_path, total_ram_mb, verify_model,
};
use serde::Serialize;

use super::Context;
use crate::cli::{ManifestArg, ModelsCommand, Quantization};
use crate::output::table;

pub fn run(cx: &Context, command: ModelsCommand) -> anyhow::Result<()> {
    match command {
        ModelsCommand::ImportCt2 { dir, out, quantize } => import(cx, &dir, &out, quantize),
        ModelsCommand::List { ram_mb, manifest } => list(cx, &load(&manifest)?, ram_mb),
        ModelsCommand::Verify { model, manifest } => {
            verify(cx, &load(&manifest)?, model.as_deref())
        }
        ModelsCommand::Download { name, mirror, stall_timeout, retries, manifest } => {
            let options = DownloadOptions {
                stall_timeout: Duration::from_secs(stall_timeout),
                ..DownloadOptions::default()
            };
            download(cx, &load(&manifest)?, &name, mirror.as_deref(), options, retries)
        }
    }
}

fn load(arg: &ManifestArg) -> anyhow::Result<Manifest> {
    let Some(path) = &arg.path else {
        return Ok(Manifest::builtin()?);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the model manifest {}", path.display()))?;
    Manifest::from_json(&text).with_context(|| format!("{}", path.display()))
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[derive(Serialize)]
struct Imported<'a> {
    #[serde(flatten)]
    conversion: &'a Conversion,
    record: PathBuf,
    sha256: &'a str,
}

fn import(
    cx: &Context,
    dir: &Path,
    out: &Path,
    quantize: Option<Quantization>,
) -> anyhow::Result<()> {
    let weights = match quantize {
        None => TensorType::F16,
        Some(Quantization::F32) => TensorType::F32,
        Some(Quantization::Q8_0) => TensorType::Q8_0,
        Some(Quantization::Q5_1) => TensorType::Q5_1,
    };
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let done = import_ct2(dir, out, weights)?;
    let source = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    let record = ConversionRecord::write_for(
        &done.output,
        format!("ct2 {}", source.display()),
        Quantisation::from(weights),
    )?;
    if cx.out.json {
        return cx.out.json(&Imported {
            conversion: &done,
            record: sidecar_path(&done.output),
            sha256: &record.sha256,
        });
    }
    cx.out.text(&format!(
        "Wrote {} ({:.1} MB, {} weights, {} tensors, {} encoder and {} decoder layers, {})\n\
         Its sha256 is recorded in {} for `doorstep models verify`.",
        done.output.display(),
        done.bytes as f64 / 1e6,
        done.weights,
        done.tensors,
        done.encoder_layers,
        done.decoder_layers,
        if done.multilingual { "multilingual" } else { "English only" },
        sidecar_path(&done.output).display(),
    ))
}

#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    model: &'a ModelEntry,
    installed: bool,
    converted_locally: bool,
    partial_bytes: Option<u64>,
    recommended: bool,
}

#[derive(Serialize)]
struct Listing<'a> {
    models_dir: &'a Path,
    ram_mb: Option<u64>,
    recommended: &'a str,
    models: Vec<Listed<'a>>,
    /// Model files in the directory that the manifest does not name.
    other_files: Vec<&'a ModelFile>,
}

fn list(cx: &Context, manifest: &Manifest, ram_mb: Option<u64>) -> anyhow::Result<()> {
    let ram_mb = ram_mb.or_else(total_ram_mb);
    let recommended = manifest.recommended(ram_mb);
    let files = scan(&cx.models_dir, manifest)?;
    let file_for = |model: &ModelEntry| files.iter().find(|f| f.path.ends_with(&model.file));
    let models: Vec<Listed> = manifest
        .models()
        .iter()
        .map(|model| {
            let file = file_for(model);
            Listed {
                model,
                installed: file.is_some(),
                converted_locally: file
                    .is_some_and(|f| matches!(f.origin, Origin::Converted { .. })),
                partial_bytes: partial_bytes(&cx.models_dir, model),
                recommended: model.name == recommended.name,
            }
        })
        .collect();
    let other_files: Vec<&ModelFile> = files
        .iter()
        .filter(|f| !manifest.models().iter().any(|m| f.path.ends_with(&m.file)))
        .collect();
    if cx.out.json {
        return cx.out.json(&Listing {
            models_dir: &cx.models_dir,
            ram_mb,
            recommended: &recommended.name,
            models,
            other_files,
        });
    }

    let rows: Vec<Vec<String>> = models
        .iter()
        .map(|l| {
            let status = match (l.installed, l.converted_locally, l.partial_bytes) {
                (true, true, _) => "converted here".to_owned(),
                (true, false, _) => "installed".to_owned(),
                (false, _, Some(bytes)) => format!("partial, {} so far", mib(bytes)),
                (false, _, None) => "no".to_owned(),
            };
            vec![
                if l.recommended { "*".into() } else { String::new() },
                l.model.name.clone(),
                format!("{} MiB", l.model.size_mib),
                l.model.language.to_string(),
                l.model.quantisation.to_string(),
                format!("{} MB", l.model.min_ram_mb),
                status,
            ]
        })
        .collect();
    let mut text =
        table(&["", "MODEL", "SIZE", "LANGUAGE", "WEIGHTS", "NEEDS RAM", "INSTALLED"], &rows);
    let memory = match ram_mb {
        Some(mb) => format!("{mb} MB of memory"),
        None => "unknown memory".to_owned(),
    };
    text.push_str(&format!(
        "\n* recommended for this device ({memory}): {}\nModels directory: {}\n",
        recommended.name,
        cx.models_dir.display()
    ));
    if !other_files.is_empty() {
        let rows: Vec<Vec<String>> = other_files
            .iter()
            .map(|f| {
                let (weights, origin) = match &f.origin {
                    Origin::Converted { record } => {
                        (record.quantisation.to_string(), record.source.clone())
                    }
                    _ => ("?".into(), "unknown: cannot be verified".into()),
                };
                vec![f.path.display().to_string(), mib(f.bytes), weights, origin]
            })
            .collect();
        text.push_str("\nOther model files:\n");
        text.push_str(&table(&["FILE", "SIZE", "WEIGHTS", "SOURCE"], &rows));
    }
    cx.out.text(&text)
}

/// One file's check, for JSON: a verification, or why there was nothing to check against.
#[derive(Serialize)]
#[serde(untagged)]
enum Checked {
    Done(Verification),
    Unverifiable { path: PathBuf, ok: bool, problem: String },
}

fn describe(v: &Verification) -> String {
    let against = match &v.basis {
        Basis::Published { name } => format!("the sha1 whisper.cpp publishes for {name}"),
        Basis::Converted { source } => {
            format!("the sha256 recorded when it was converted ({source})")
        }
    };
    if v.ok {
        return format!("ok: {} matches {against}", v.path.display());
    }
    let remedy = match &v.basis {
        Basis::Published { name } => {
            format!("delete it and run `doorstep models download {name}`")
        }
        Basis::Converted { .. } => "convert it again with `doorstep models import-ct2`".into(),
    };
    let size = match v.expected_bytes {
        Some(expected) if expected != v.bytes => {
            format!(" ({} bytes, recorded {expected})", v.bytes)
        }
        _ => String::new(),
    };
    format!(
        "FAILED: {} does not match {against}: expected {} {}, found {}{size}; {remedy}",
        v.path.display(),
        v.algorithm,
        v.expected,
        v.found
    )
}

fn verify(cx: &Context, manifest: &Manifest, model: Option<&str>) -> anyhow::Result<()> {
    let Some(spec) = model else {
        return verify_all(cx, manifest);
    };
    let resolved = resolve_model(spec, &cx.models_dir, manifest)?;
    let check = verify_model(&resolved.path, manifest)?;
    if cx.out.json {
        cx.out.json(&check)?;
    } else if check.ok {
        cx.out.text(&describe(&check))?;
    }
    if !check.ok {
        bail!("{}", describe(&check).trim_start_matches("FAILED: "));
    }
    Ok(())
}

fn verify_all(cx: &Context, manifest: &Manifest) -> anyhow::Result<()> {
    let files = scan(&cx.models_dir, manifest)?;
    let mut checked = Vec::new();
    for file in &files {
        checked.push(match verify_model(&file.path, manifest) {
            Ok(v) => Checked::Done(v),
            Err(e @ VerifyError::NoReference { .. }) => {
                Checked::Unverifiable { path: file.path.clone(), ok: false, problem: e.to_string() }
            }
            Err(e) => return Err(e.into()),
        });
    }
    let failed = checked.iter().filter(|c| matches!(c, Checked::Done(v) if !v.ok)).count();
    if cx.out.json {
        cx.out.json(&checked)?;
    } else if checked.is_empty() {
        cx.out.text(&format!("No models in {}", cx.models_dir.display()))?;
    } else {
        let lines: Vec<String> = checked
            .iter()
            .map(|c| match c {
                Checked::Done(v) => describe(v),
                Checked::Unverifiable { problem, .. } => format!("unverifiable: {problem}"),
            })
            .collect();
        cx.out.text(&lines.join("\n"))?;
    }
    if failed > 0 {
        bail!("{failed} of {} model files failed verification", checked.len());
    }
    Ok(())
}

#[derive(Serialize)]
struct Fetched<'a> {
    name: &'a str,
    path: &'a Path,
    bytes: u64,
    /// The sha1 checked, unless the file is a model converted on this device.
    sha1: Option<&'a str>,
    resumed_from: u64,
    already_installed: bool,
    /// Where a model converted on this device came from.
    converted_from: Option<&'a str>,
}

fn download(
    cx: &Context,
    manifest: &Manifest,
    name: &str,
    mirror: Option<&str>,
    options: DownloadOptions,
    retries: u32,
) -> anyhow::Result<()> {
    let model = manifest.entry(name)?;
    let request = DownloadRequest::for_model(model, &cx.models_dir, mirror)?;
    if request.dest.is_file() {
        let check = verify_model(&request.dest, manifest)?;
        let converted_from = match &check.basis {
            Basis::Converted { source } => Some(source.as_str()),
            Basis::Published { .. } => None,
        };
        if check.ok {
            if cx.out.json {
                return cx.out.json(&Fetched {
                    name,
                    path: &request.dest,
                    bytes: check.bytes,
                    sha1: (converted_from.is_none()).then_some(check.found.as_str()),
                    resumed_from: 0,
                    already_installed: true,
                    converted_from,
                });
            }
            let what = match converted_from {
                None => String::new(),
                Some(source) => format!(
                    " as a model converted on this device ({source}); to use whisper.cpp's \
                     instead, delete it and {} first",
                    sidecar_path(&request.dest).display()
                ),
            };
            return cx.out.text(&format!(
                "{name} is already installed and verified{what}: {}",
                request.dest.display()
            ));
        }
        eprintln!("doorstep: {}; downloading it again", describe(&check));
    }

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let downloader = Downloader::new(options)?;
    let bar = cx.out.progress_bytes(model.size_mib * 1024 * 1024, "Downloading");
    let cancel = AtomicBool::new(false);
    let mut attempt = 0;
    let done = loop {
        let fetched = runtime.block_on(downloader.fetch(&request, &cancel, |p| {
            if let Some(total) = p.total {
                bar.set_length(total);
            }
            bar.set_position(p.done);
        }));
        match fetched {
            Ok(done) => break done,
            Err(e) if e.is_resumable() && attempt < retries => {
                attempt += 1;
                let e = anyhow::Error::from(e);
                bar.suspend(|| eprintln!("doorstep: {e:#}; trying again ({attempt} of {retries})"));
                std::thread::sleep(Duration::from_secs(u64::from(attempt).min(10)));
            }
            Err(e) => {
                bar.finish_and_clear();
                return Err(e.into());
            }
        }
    };
    bar.finish_and_clear();
    if cx.out.json {
        return cx.out.json(&Fetched {
            name,
            path: &done.path,
            bytes: done.bytes,
            sha1: Some(&done.sha1),
            resumed_from: done.resumed_from,
            already_installed: false,
            converted_from: None,
        });
    }
    let resumed = match done.resumed_from {
        0 => String::new(),
        from => format!(", resumed after {}", mib(from)),
    };
    cx.out.text(&format!(
        "Downloaded {name} to {} ({}{resumed}); its sha1 matches the model manifest's.",
        done.path.display(),
        mib(done.bytes)
    ))
}
