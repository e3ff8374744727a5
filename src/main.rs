//! The `baas` command line: argument parsing, file I/O and diagnostic rendering. All logic
//! lives in the library crates; this binary only moves bytes and chooses exit codes.

mod output;
mod render;

use baas_model::SourceFile;
use baas_providers::Registry;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: synth builds and drops hundreds of thousands of
/// small JSON values, and glibc's malloc and free were a third of the instructions of a
/// 1,000-component synth (BENCHMARKS.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes, part of the command-line contract (README): warnings alone still exit `OK`.
const OK: u8 = 0;
const DEFINITION_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;
const STALE: u8 = 3;
/// `baas diff`: the output would change (the same code as a stale `synth --check`).
const DIFFERENCES: u8 = 3;
/// `baas diff`: the change removes or replaces a resource that holds data.
const DATA_LOSS: u8 = 4;

#[derive(Debug, Parser)]
#[command(
    name = "baas",
    version,
    about = "Turns a declarative backend.yaml into Terraform JSON for Azure (azurerm)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate backend.yaml and write Terraform JSON stacks and a manifest into DIR
    Synth {
        /// The backend definition
        #[arg(default_value = "backend.yaml")]
        file: PathBuf,
        /// Output folder (replaced as a whole, atomically)
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Environment overlay to apply
        #[arg(long)]
        env: Option<String>,
        /// Write nothing; exit 3 if DIR differs from a fresh synth
        #[arg(long)]
        check: bool,
    },
    /// Compare a fresh synth with the committed output in DIR, resource by resource: exit 0
    /// identical, 3 differences, 4 data loss
    Diff {
        /// The backend definition
        #[arg(default_value = "backend.yaml")]
        file: PathBuf,
        /// The committed output folder (read only; links are never followed)
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Environment overlay to apply
        #[arg(long)]
        env: Option<String>,
        /// How to print the differences
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
    /// Run every check synth runs, including the azurerm schema check, and write nothing
    Validate {
        #[arg(default_value = "backend.yaml")]
        file: PathBuf,
        #[arg(long)]
        env: Option<String>,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the resource graph: components -> requirements -> merged resources -> Terraform
    /// resources -> stacks
    Graph {
        /// The backend definition
        #[arg(default_value = "backend.yaml")]
        file: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Print the JSON Schema of backend.yaml (for editors: yaml-language-server)
    Schema,
    /// Write a commented starter backend.yaml and its JSON Schema into DIR (never overwrites)
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the long description of a diagnostic code
    Explain {
        /// A code like `baas::merge::partition_key`
        #[arg(required_unless_present = "all")]
        code: Option<String>,
        /// Print the reference of every code as Markdown
        #[arg(long, conflicts_with = "code")]
        all: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Human,
    /// The schema is in docs/diff.md
    Json,
    /// For a pull request comment
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`)
    Dot,
    /// A Mermaid flowchart
    Mermaid,
    /// `{nodes: [{id, kind, label}], edges: [{from, to, kind}]}`
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let registry = Registry::builtin();
    let code = match cli.command {
        Command::Synth {
            file,
            out,
            env,
            check,
        } => synth(&registry, &file, &out, env.as_deref(), check),
        Command::Diff {
            file,
            out,
            env,
            format,
        } => diff(&registry, &file, &out, env.as_deref(), format),
        Command::Validate { file, env, format } => {
            validate(&registry, &file, env.as_deref(), format)
        }
        Command::Explain { all: true, .. } => {
            print_out(&baas_synth::diagnostics_reference(&registry))
        }
        Command::Explain { code, .. } => explain(&registry, code.as_deref().unwrap_or_default()),
        Command::Init { dir } => init(&dir),
        Command::Graph { file, format } => graph(&registry, &file, format),
        Command::Schema => print_out(&baas_synth::backend_schema_json()),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Into memory first: `generate` panics when it cannot write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "baas", &mut script);
            print_out(&String::from_utf8_lossy(&script))
        }
    };
    ExitCode::from(code)
}

fn usage_error(message: &str) -> u8 {
    print_err(&format!("error: {message}\n"));
    USAGE_OR_IO
}

/// Writes `text` to standard output. A reader that went away (`baas graph | head -1`) is not
/// an error: the rest was not wanted. Any other failure (a full disk) is reported, and is an
/// I/O error. Never panics, unlike `print!`.
fn print_out(text: &str) -> u8 {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => OK,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => OK,
        Err(error) => {
            print_err(&format!(
                "error: cannot write to standard output: {error}\n"
            ));
            USAGE_OR_IO
        }
    }
}

/// Writes `text` to standard error. A failure is ignored: there is nowhere left to report it,
/// and it changes nothing about what the command did.
fn print_err(text: &str) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}

/// The largest backend.yaml baas reads (README): 5,000 components take about 1.3 MB, so this
/// leaves room while keeping a wrong file (a log, a disk image) from taking the machine's memory.
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads at most `MAX_INPUT_BYTES` (a pipe such as `/dev/stdin` is fine; `/dev/zero` ends at
/// the limit with an error in words).
fn read_bounded(file: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let opened = std::fs::File::open(file).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    opened
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "it is larger than {} MB, the most baas reads",
            MAX_INPUT_BYTES / 1024 / 1024
        ));
    }
    Ok(bytes)
}

/// FILE, read and decoded. `Err` holds the exit code once the problem is reported: a file
/// that cannot be read is a usage error, text that is not UTF-8 a definition error.
fn load(registry: &Registry, file: &Path, format: Format) -> Result<SourceFile, u8> {
    let bytes = read_bounded(file)
        .map_err(|e| usage_error(&format!("cannot read `{}`: {e}", file.display())))?;
    match baas_model::decode_source(&file.display().to_string(), &bytes) {
        Ok(source) => Ok(source),
        Err((source, diagnostic)) => {
            let printed = report(registry, &source, &[diagnostic], format);
            Err(DEFINITION_ERRORS.max(printed))
        }
    }
}

/// Diagnostics in the chosen format: people's on standard error, JSON and SARIF on standard
/// output. Returns `USAGE_OR_IO` when standard output could not take them.
fn report(
    registry: &Registry,
    source: &SourceFile,
    diagnostics: &[baas_model::Diagnostic],
    format: Format,
) -> u8 {
    match format {
        Format::Human => {
            print_err(&render::human(source, diagnostics, render::colors()));
            OK
        }
        Format::Json => print_out(&(render::json(source, diagnostics) + "\n")),
        Format::Sarif => {
            let codes = baas_synth::all_codes(registry);
            print_out(&(render::sarif(source, diagnostics, &codes) + "\n"))
        }
    }
}

/// Synthesizes `source`, read from `file`, with its templates read beside it.
fn synthesize_file(
    registry: &Registry,
    source: &SourceFile,
    file: &Path,
    env: Option<&str>,
) -> baas_synth::Synthesis {
    baas_synth::synthesize_with(
        source,
        registry,
        &baas_synth::Options {
            env,
            templates: &FileTemplates::beside(file),
        },
    )
}

fn validate(registry: &Registry, file: &Path, env: Option<&str>, format: Format) -> u8 {
    let source = match load(registry, file, format) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let synthesis = synthesize_file(registry, &source, file, env);
    let printed = report(registry, &source, &synthesis.diagnostics, format);
    if synthesis.has_errors() {
        DEFINITION_ERRORS
    } else {
        printed
    }
}

fn synth(registry: &Registry, file: &Path, out: &Path, env: Option<&str>, check: bool) -> u8 {
    let source = match load(registry, file, Format::Human) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let templates = FileTemplates::beside(file);
    let synthesis = baas_synth::synthesize_with(
        &source,
        registry,
        &baas_synth::Options {
            env,
            templates: &templates,
        },
    );
    report(registry, &source, &synthesis.diagnostics, Format::Human);
    if synthesis.has_errors() {
        return DEFINITION_ERRORS;
    }
    if check {
        // A file where the folder should be is not stale output: synth would refuse it too.
        if std::fs::symlink_metadata(out).is_ok_and(|m| !m.is_dir()) {
            return usage_error(&format!("`{}` exists and is not a folder", out.display()));
        }
        return match output::stale_files(out, &synthesis.files) {
            Ok(stale) if stale.is_empty() => {
                print_err(&format!("`{}` is up to date\n", out.display()));
                OK
            }
            Ok(stale) => {
                let mut message = format!(
                    "error: `{}` is stale; run `baas synth` and commit the result:\n",
                    out.display()
                );
                for file in stale {
                    message.push_str(&format!("  {file}\n"));
                }
                print_err(&message);
                STALE
            }
            Err(error) => usage_error(&error),
        };
    }
    // The output folder is replaced as a whole: it must not hold what synth reads.
    let inputs = std::iter::once(file.to_path_buf()).chain(templates.read());
    if let Some(input) = output::inside(out, inputs) {
        return usage_error(&format!(
            "`{}` would replace `{}`, which synth reads; write the output to another folder",
            out.display(),
            input.display()
        ));
    }
    match output::write_atomically(out, &synthesis.files) {
        Ok(output::Written::Replaced) => {
            print_err(&format!(
                "wrote {} files to `{}`\n",
                synthesis.files.len(),
                out.display()
            ));
            OK
        }
        Ok(output::Written::AlreadyUpToDate) => {
            print_err(&format!(
                "`{}` is up to date ({} files, left as they were)\n",
                out.display(),
                synthesis.files.len()
            ));
            OK
        }
        Err(error) => usage_error(&error),
    }
}

/// Prints what a synth would change in `out`, and exits by how much it changes.
fn diff(registry: &Registry, file: &Path, out: &Path, env: Option<&str>, format: DiffFormat) -> u8 {
    let source = match load(registry, file, Format::Human) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let synthesis = synthesize_file(registry, &source, file, env);
    report(registry, &source, &synthesis.diagnostics, Format::Human);
    if synthesis.has_errors() {
        return DEFINITION_ERRORS;
    }
    let committed = match output::read_committed(out) {
        Ok(committed) => committed,
        Err(error) => return usage_error(&error),
    };
    // A link where synth writes a file, or a folder of files (`out/main` -> elsewhere),
    // cannot be compared without following it.
    let holds = |foreign: &str, file: &str| {
        file == foreign
            || file
                .strip_prefix(foreign)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    if let Some(link) = committed
        .foreign
        .iter()
        .find(|path| synthesis.files.keys().any(|file| holds(path, file)))
    {
        return usage_error(&format!(
            "cannot compare `{}`: it is not a regular file (diff never follows a symbolic link); replace it with the committed file",
            out.join(link).display()
        ));
    }
    let mut changes = match baas_synth::diff::diff(&committed.files, &synthesis.files) {
        Ok(changes) => changes,
        Err(unreadable) => {
            return usage_error(&format!(
                "cannot compare `{}`: {}",
                out.join(&unreadable.path).display(),
                unreadable.reason
            ))
        }
    };
    changes.add_foreign(committed.foreign);
    let printed = print_out(&match format {
        DiffFormat::Human => baas_synth::diff::render::human(&changes),
        DiffFormat::Json => baas_synth::diff::render::json(&changes),
        DiffFormat::Markdown => baas_synth::diff::render::markdown(&changes),
    });
    if printed != OK {
        printed
    } else if changes.data_loss().next().is_some() {
        DATA_LOSS
    } else if changes.is_empty() {
        OK
    } else {
        DIFFERENCES
    }
}

/// Prints the graph on stdout; with errors, prints the diagnostics like `validate` and exits 1.
fn graph(registry: &Registry, file: &Path, format: GraphFormat) -> u8 {
    let source = match load(registry, file, Format::Human) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let plan = match baas_synth::plan_with(
        &source,
        registry,
        &baas_synth::Options {
            env: None,
            templates: &FileTemplates::beside(file),
        },
    ) {
        Ok(plan) => plan,
        Err(diagnostics) => {
            report(registry, &source, &diagnostics, Format::Human);
            return DEFINITION_ERRORS;
        }
    };
    if !plan.diagnostics.is_empty() {
        report(registry, &source, &plan.diagnostics, Format::Human);
    }
    let graph = baas_synth::graph::build(&plan, registry);
    print_out(&match format {
        GraphFormat::Dot => graph.to_dot(),
        GraphFormat::Mermaid => graph.to_mermaid(),
        GraphFormat::Json => graph.to_json(),
    })
}

fn explain(registry: &Registry, code: &str) -> u8 {
    let codes = baas_synth::all_codes(registry);
    match codes
        .iter()
        .find(|c| c.id == code || c.id.strip_prefix("baas::") == Some(code))
    {
        Some(found) => print_out(&format!(
            "{}: {}\n\n{}\n",
            found.id, found.summary, found.explanation
        )),
        None => {
            let ids: Vec<&str> = codes.iter().map(|c| c.id).collect();
            match baas_model::suggest::did_you_mean(code, ids.iter().copied()) {
                Some(s) => usage_error(&format!(
                    "unknown diagnostic code `{code}`; did you mean `{s}`?"
                )),
                None => usage_error(&format!(
                    "unknown diagnostic code `{code}`; known codes:\n  {}",
                    ids.join("\n  ")
                )),
            }
        }
    }
}

fn init(dir: &Path) -> u8 {
    if let Err(error) = std::fs::create_dir_all(dir) {
        return usage_error(&format!("cannot create `{}`: {error}", dir.display()));
    }
    let backend = dir.join("backend.yaml");
    let schema = dir.join("backend.schema.json");
    for existing in [&backend, &schema] {
        // Not `exists()`: a dangling link exists too, and would only fail the second write.
        if std::fs::symlink_metadata(existing).is_ok() {
            return usage_error(&format!(
                "`{}` already exists; baas init never overwrites",
                existing.display()
            ));
        }
    }
    for (path, contents) in [
        (&schema, baas_synth::backend_schema_json()),
        (&backend, baas_synth::STARTER_BACKEND.to_owned()),
    ] {
        // `create_new` refuses a file that appeared meanwhile: init never overwrites.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path);
        if let Err(error) =
            file.and_then(|mut f| std::io::Write::write_all(&mut f, contents.as_bytes()))
        {
            return usage_error(&format!("cannot write `{}`: {error}", path.display()));
        }
    }
    print_err(&format!(
        "wrote `{}` and `{}`; next: `baas validate {}`\n",
        backend.display(),
        schema.display(),
        backend.display()
    ));
    OK
}

/// Provider templates, read relative to the folder of backend.yaml; it remembers what it read.
struct FileTemplates {
    base: PathBuf,
    read: std::sync::Mutex<Vec<PathBuf>>,
}

impl FileTemplates {
    fn beside(backend: &Path) -> FileTemplates {
        let base = backend.parent().map(Path::to_path_buf).unwrap_or_default();
        FileTemplates {
            base,
            read: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The template files read so far.
    fn read(&self) -> Vec<PathBuf> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl baas_synth::TemplateLoader for FileTemplates {
    fn display_name(&self, path: &str) -> String {
        self.base.join(path).display().to_string()
    }

    /// The path is checked as a string by the model; here the real file is: after resolving
    /// links it must still lie inside the backend's folder, be a regular file (not a FIFO or
    /// a device) and no larger than backend.yaml may be.
    fn load(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        if let Ok(mut read) = self.read.lock() {
            read.push(full.clone());
        }
        let base = if self.base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.base
        };
        let real =
            std::fs::canonicalize(&full).map_err(|e| format!("`{}`: {e}", full.display()))?;
        let folder =
            std::fs::canonicalize(base).map_err(|e| format!("`{}`: {e}", base.display()))?;
        if !real.starts_with(&folder) {
            return Err(format!(
                "`{}` leads outside the folder of backend.yaml (through a symbolic link)",
                full.display()
            ));
        }
        // Checked before opening: opening a FIFO would wait for a writer.
        if !std::fs::metadata(&real).is_ok_and(|m| m.is_file()) {
            return Err(format!("`{}` is not a regular file", full.display()));
        }
        let bytes = read_bounded(&real).map_err(|e| format!("`{}`: {e}", full.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("`{}` is not UTF-8 text", full.display()))?;
        // A byte order mark is accepted, as it is in backend.yaml.
        Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text))
    }
}
