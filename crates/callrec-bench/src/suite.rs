//! The whole-system suite behind BENCHMARKS.md: one run, one data set, every figure beside its baseline.
//!
//! In order: generate seeded NDJSON with the release `callrec`; store it with the `floor` and with
//! `callrec import` (same file, same run); measure the store's size; start `callrec serve` on the store
//! (timing start-up to the first answered request); pick real ids, time ranges and participants from the
//! data; for each benchmarked URL fetch callrec's exact answer, serve those bytes from `baseline-server`,
//! and load both with wrk, sampling callrec's memory meanwhile. Everything runs as separate processes
//! driven from here, one heavy thing at a time, so the two cores go to whatever is being measured.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;

use crate::client;
use crate::floor::{FloorFigures, rate};
use crate::report::{Report, Row, Section, Verdict, bytes, ratio, thousands};
use crate::system::{self, Machine, Usage};
use crate::wrk::{self, Load, WrkResult};

/// How to run the suite.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "bench",
    about = "Runs callrec's whole-system benchmarks and writes BENCHMARKS.md."
)]
pub struct Options {
    /// Call records to generate (first versions; about one in ten also gets a later version).
    #[arg(long, default_value_t = 1_000_000)]
    pub records: u64,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First day of the generated calls (YYYY-MM-DD, UTC).
    #[arg(long, default_value = "2025-01-01")]
    pub start: String,
    /// Days the generated calls spread over.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Where the data, the stores and the logs go (large: keep it out of the repository).
    #[arg(long, default_value = "/tmp/callrec-bench")]
    pub work_dir: PathBuf,
    /// The release `callrec` binary (default: next to this program).
    #[arg(long)]
    pub callrec: Option<PathBuf>,
    /// Seconds of each wrk run.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// wrk threads.
    #[arg(long, default_value_t = 2)]
    pub threads: u32,
    /// wrk connections.
    #[arg(long, default_value_t = 64)]
    pub connections: u32,
    /// The deep page of the month's listing compared with its first page.
    #[arg(long, default_value_t = 500)]
    pub deep_page: u32,
    /// Where to write the report.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub out: PathBuf,
    /// Reuse the NDJSON file of an earlier run with the same records, seed, start and days.
    #[arg(long)]
    pub reuse_data: bool,
    /// Skip the floor and the import and serve the store an earlier run imported (ingest figures are then
    /// reported as not measured).
    #[arg(long)]
    pub skip_ingest: bool,
}

/// The programs the suite drives.
struct Programs {
    callrec: PathBuf,
    floor: PathBuf,
    baseline: PathBuf,
}

impl Programs {
    fn find(opts: &Options) -> anyhow::Result<Programs> {
        let here = std::env::current_exe()?;
        let dir = here
            .parent()
            .context("this program has no directory")?
            .to_path_buf();
        let programs = Programs {
            callrec: opts.callrec.clone().unwrap_or_else(|| dir.join("callrec")),
            floor: dir.join("floor"),
            baseline: dir.join("baseline-server"),
        };
        for p in [&programs.callrec, &programs.floor, &programs.baseline] {
            if !p.is_file() {
                bail!(
                    "{} is missing; build with `cargo build --release -p callrec -p callrec-bench` first",
                    p.display()
                );
            }
        }
        Ok(programs)
    }

    /// Copies the programs into `dir` and runs the copies, so a build that replaces the binaries in the
    /// target directory while the suite runs cannot mix two versions into one report.
    fn pin(self, dir: &Path) -> anyhow::Result<Programs> {
        std::fs::create_dir_all(dir)?;
        let copy = |from: &Path| -> anyhow::Result<PathBuf> {
            let to = dir.join(from.file_name().context("a program without a file name")?);
            std::fs::copy(from, &to)
                .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
            Ok(to)
        };
        Ok(Programs {
            callrec: copy(&self.callrec)?,
            floor: copy(&self.floor)?,
            baseline: copy(&self.baseline)?,
        })
    }
}

/// The files of a run inside the work directory.
struct Files {
    data: PathBuf,
    data_facts: PathBuf,
    floor_db: PathBuf,
    store: PathBuf,
    logs: PathBuf,
}

impl Files {
    fn new(opts: &Options) -> Files {
        let name = format!(
            "records-{}-seed-{}-from-{}-days-{}",
            opts.records, opts.seed, opts.start, opts.days
        );
        let dir = &opts.work_dir;
        Files {
            data: dir.join(format!("{name}.ndjson")),
            data_facts: dir.join(format!("{name}.facts.json")),
            floor_db: dir.join("floor.db"),
            store: dir.join(format!("{name}.store.db")),
            logs: dir.join("logs"),
        }
    }
}

/// What the suite knows about the NDJSON file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct DataFacts {
    lines: u64,
    bytes: u64,
    generate_secs: Option<f64>,
}

/// Runs the suite and returns its report (also written to `opts.out`).
pub fn run(opts: &Options) -> anyhow::Result<Report> {
    let files = Files::new(opts);
    let programs = Programs::find(opts)?.pin(&opts.work_dir.join("bin"))?;
    std::fs::create_dir_all(&files.logs)
        .with_context(|| format!("cannot create {}", files.logs.display()))?;
    let load = Load {
        threads: opts.threads,
        connections: opts.connections,
        duration: Duration::from_secs(opts.duration),
    };
    let machine = Machine::read();
    let period = Period::new(&opts.start, opts.days)?;

    let mut report = Report {
        run: run_description(&machine, &load, &programs),
        ..Report::default()
    };

    // Data.
    let mut facts = if opts.reuse_data && files.data.is_file() {
        eprintln!("bench: reusing {}", files.data.display());
        let mut facts: DataFacts = std::fs::read(&files.data_facts)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        facts.generate_secs = None;
        facts
    } else {
        generate(opts, &programs, &files)?
    };
    facts.bytes = std::fs::metadata(&files.data)?.len();

    // Ingest.
    let mut ingest = Section {
        title: "Ingest (`callrec import` of NDJSON)".to_owned(),
        ..Section::default()
    };
    if opts.skip_ingest {
        if !files.store.is_file() {
            bail!(
                "--skip-ingest needs the store of an earlier run at {}",
                files.store.display()
            );
        }
        ingest.notes.push(
            "Not measured in this run (`--skip-ingest`): the store of an earlier run was served."
                .to_owned(),
        );
    } else {
        let floor = run_floor(&programs, &files)?;
        facts.lines = floor.figures.records;
        std::fs::write(&files.data_facts, serde_json::to_vec(&facts)?)?;
        let import = run_import(&programs, &files)?;
        ingest_rows(&mut ingest, &floor, &import, &facts);
    }
    report.data = data_description(opts, &facts, &programs);
    report.sections.push(ingest);

    // Storage.
    let store_bytes = store_size(&files.store);
    report.sections.push(Section {
        title: "Storage".to_owned(),
        rows: vec![Row {
            figure: "Store on disk vs raw NDJSON".to_owned(),
            measured: bytes(store_bytes),
            baseline: format!("{} NDJSON", bytes(facts.bytes)),
            ratio: format!("{:.3}x", store_bytes as f64 / facts.bytes.max(1) as f64),
            target: "≤ 0.20x".to_owned(),
            verdict: Verdict::at_most(store_bytes as f64 / facts.bytes.max(1) as f64, 0.2),
        }],
        notes: vec!["The store's size is the SQLite file with its `-wal` and `-shm` files, after `callrec import` exited.".to_owned()],
    });

    // Reads.
    let reads = run_reads(opts, &programs, &files, &load, &period)?;
    report.sections.extend(reads);

    let previous = std::fs::read_to_string(&opts.out).ok();
    let text = crate::report::with_kept_sections(&report.to_markdown(), previous.as_deref());
    std::fs::write(&opts.out, text)
        .with_context(|| format!("cannot write {}", opts.out.display()))?;
    Ok(report)
}

fn run_description(machine: &Machine, load: &Load, programs: &Programs) -> Vec<(String, String)> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let commit = command_text("git", &["rev-parse", "--short", "HEAD"]);
    let dirty = command_text("git", &["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|s| !s.is_empty());
    vec![
        (
            "Date".to_owned(),
            command_text("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
        ),
        (
            "Commit".to_owned(),
            match commit {
                Some(c) if dirty => format!("`{c}` with uncommitted changes"),
                Some(c) => format!("`{c}`"),
                None => "unknown".to_owned(),
            },
        ),
        (
            "Machine".to_owned(),
            format!(
                "{} CPUs (`nproc`), {}, {} memory, Linux {}",
                machine.cpus,
                machine.cpu_model,
                bytes(machine.memory_bytes),
                machine.kernel
            ),
        ),
        (
            "Command".to_owned(),
            format!(
                "`cargo run --release -p callrec-bench --bin bench -- {}` (or `bench/run.sh`)",
                args.join(" ")
            ),
        ),
        (
            "Load".to_owned(),
            format!(
                "`wrk {}` on loopback, after a 2 s warm-up; server and wrk share the machine's cores",
                load.args().join(" ")
            ),
        ),
        (
            "Server".to_owned(),
            format!(
                "`callrec serve --auth none --retention forever --store STORE`, release build ({})",
                command_text(&programs.callrec.to_string_lossy(), &["--version"])
                    .unwrap_or_default()
            ),
        ),
    ]
}

fn data_description(
    opts: &Options,
    facts: &DataFacts,
    programs: &Programs,
) -> Vec<(String, String)> {
    let mut lines = vec![
        (
            "Generator".to_owned(),
            format!(
                "`{} generate --records {} --seed {} --start {} --days {} --out FILE`",
                programs
                    .callrec
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                opts.records,
                opts.seed,
                opts.start,
                opts.days
            ),
        ),
        (
            "Records".to_owned(),
            format!("{} call records", thousands(opts.records as f64)),
        ),
        ("NDJSON".to_owned(), bytes(facts.bytes)),
    ];
    if facts.lines > 0 {
        lines.push((
            "Lines".to_owned(),
            format!(
                "{} (first versions plus later versions of some records), {} per line on average",
                thousands(facts.lines as f64),
                bytes(facts.bytes / facts.lines)
            ),
        ));
        let mean = facts.bytes as f64 / facts.lines as f64;
        if !(2_200.0..=8_800.0).contains(&mean) {
            lines.push((
                "Record size".to_owned(),
                format!(
                    "**the targets' rates in records/s were set on records of about 4.4 KB; these average {}, \
                     {:.1}x that, so the MB/s figures and the ratios to same-run baselines are the comparable ones**",
                    bytes(mean as u64),
                    mean / 4_400.0
                ),
            ));
        }
    }
    if let Some(secs) = facts.generate_secs {
        lines.push((
            "Generation".to_owned(),
            format!(
                "{secs:.1} s, {} records/s, {:.0} MB/s written",
                thousands(rate(opts.records as f64, secs)),
                rate(facts.bytes as f64 / 1e6, secs)
            ),
        ));
    }
    lines
}

fn command_text(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn generate(opts: &Options, programs: &Programs, files: &Files) -> anyhow::Result<DataFacts> {
    eprintln!(
        "bench: generating {} records into {}",
        opts.records,
        files.data.display()
    );
    let started = Instant::now();
    let status = Command::new(&programs.callrec)
        .args([
            "generate",
            "--records",
            &opts.records.to_string(),
            "--seed",
            &opts.seed.to_string(),
        ])
        .args([
            "--start",
            &opts.start,
            "--days",
            &opts.days.to_string(),
            "--out",
        ])
        .arg(&files.data)
        .stdin(Stdio::null())
        .stderr(log_file(files, "generate")?)
        .status()?;
    if !status.success() {
        bail!(
            "callrec generate failed ({status}); see {}",
            files.logs.join("generate.log").display()
        );
    }
    let facts = DataFacts {
        lines: 0,
        bytes: 0,
        generate_secs: Some(started.elapsed().as_secs_f64()),
    };
    std::fs::write(&files.data_facts, serde_json::to_vec(&facts)?)?;
    Ok(facts)
}

fn log_file(files: &Files, name: &str) -> anyhow::Result<std::fs::File> {
    let path = files.logs.join(format!("{name}.log"));
    std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))
}

/// Runs a child to completion while sampling its memory and CPU time.
fn run_watched(mut command: Command) -> anyhow::Result<(std::process::Output, Usage, Duration)> {
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        let pid = child.id();
        std::thread::spawn(move || system::watch(pid, Duration::from_millis(100), &stop))
    };
    let output = child.wait_with_output()?;
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let usage = watcher.join().unwrap_or_default();
    Ok((output, usage, elapsed))
}

struct FloorRun {
    figures: FloorFigures,
    usage: Usage,
}

fn run_floor(programs: &Programs, files: &Files) -> anyhow::Result<FloorRun> {
    eprintln!("bench: floor");
    let mut command = Command::new(&programs.floor);
    command
        .arg("--input")
        .arg(&files.data)
        .arg("--db")
        .arg(&files.floor_db)
        .arg("--json");
    command.stderr(log_file(files, "floor")?);
    let (output, usage, _) = run_watched(command)?;
    if !output.status.success() {
        bail!(
            "floor failed ({}); see {}",
            output.status,
            files.logs.join("floor.log").display()
        );
    }
    let figures: FloorFigures =
        serde_json::from_slice(&output.stdout).context("floor printed no figures")?;
    // Only its size matters from here on, and the disk is better spent on callrec's store.
    let _ = std::fs::remove_file(&files.floor_db);
    Ok(FloorRun { figures, usage })
}

struct ImportRun {
    secs: f64,
    usage: Usage,
    /// callrec's own summary line.
    total_line: String,
    rejected: u64,
}

fn run_import(programs: &Programs, files: &Files) -> anyhow::Result<ImportRun> {
    eprintln!("bench: callrec import");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = files.store.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
    let mut command = Command::new(&programs.callrec);
    command
        .arg("import")
        .arg("--store")
        .arg(&files.store)
        .arg(&files.data);
    command.stderr(log_file(files, "import")?);
    let (output, usage, elapsed) = run_watched(command)?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::write(files.logs.join("import.out"), &stdout)?;
    let total_line = stdout
        .lines()
        .find(|l| l.starts_with("total:"))
        .unwrap_or("")
        .to_owned();
    let rejected = count_before(&total_line, "rejected").unwrap_or(0);
    // Exit status 3 means some records were rejected, which the report states; anything else is a failure.
    if !output.status.success() && output.status.code() != Some(3) {
        bail!(
            "callrec import failed ({}); see {}",
            output.status,
            files.logs.join("import.log").display()
        );
    }
    Ok(ImportRun {
        secs: elapsed.as_secs_f64(),
        usage,
        total_line,
        rejected,
    })
}

/// In `"... 12 rejected, ..."`, the number before `word`.
fn count_before(text: &str, word: &str) -> Option<u64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches(',') == word)
        .and_then(|w| w[0].parse().ok())
}

fn ingest_rows(section: &mut Section, floor: &FloorRun, import: &ImportRun, facts: &DataFacts) {
    let f = &floor.figures;
    let records_per_sec = rate(f.records as f64, import.secs);
    let mb_per_sec = rate(facts.bytes as f64 / 1e6, import.secs);
    let vs_floor = records_per_sec / f.records_per_sec().max(1e-9);
    section.rows.push(Row {
        figure: "Ingest, records/s".to_owned(),
        measured: thousands(records_per_sec),
        baseline: format!("{} (floor)", thousands(f.records_per_sec())),
        ratio: ratio(vs_floor),
        target: "≥ 25,000 records/s".to_owned(),
        verdict: Verdict::at_least(records_per_sec, 25_000.0),
    });
    section.rows.push(Row {
        figure: "Ingest, MB/s of NDJSON".to_owned(),
        measured: format!("{mb_per_sec:.1}"),
        baseline: format!("{:.1} (floor)", f.mb_per_sec()),
        ratio: ratio(mb_per_sec / f.mb_per_sec().max(1e-9)),
        target: "≥ 100 MB/s".to_owned(),
        verdict: Verdict::at_least(mb_per_sec, 100.0),
    });
    section.rows.push(Row {
        figure: "Ingest vs the floor, same data".to_owned(),
        measured: format!("{:.1} s", import.secs),
        baseline: format!("{:.1} s (floor)", f.total_secs),
        ratio: ratio(vs_floor),
        target: "≥ 1.00x (never below the floor)".to_owned(),
        verdict: Verdict::at_least(vs_floor, 1.0),
    });
    let cpu_per_record = |cpu: f64| cpu * 1e3 / f.records.max(1) as f64;
    section.rows.push(Row {
        figure: "CPU time per 1,000 records".to_owned(),
        measured: format!("{:.2} s", cpu_per_record(import.usage.cpu_secs)),
        baseline: format!("{:.2} s (floor)", cpu_per_record(floor.usage.cpu_secs)),
        ratio: ratio(import.usage.cpu_secs / floor.usage.cpu_secs.max(1e-9)),
        target: "≤ 2.00x lets two cores keep up with the floor (reference)".to_owned(),
        verdict: Verdict::Info,
    });
    section.rows.push(Row {
        figure: "serde_json parse only, records/s".to_owned(),
        measured: "—".to_owned(),
        baseline: format!(
            "{} ({:.0} MB/s)",
            thousands(f.parse_records_per_sec()),
            f.parse_mb_per_sec()
        ),
        ratio: "—".to_owned(),
        target: "reference".to_owned(),
        verdict: Verdict::Info,
    });
    let other = f.total_secs - f.parse_secs - f.compress_secs - f.insert_secs - f.commit_secs;
    section.notes.push(format!(
        "Floor time: {:.1} s parse, {:.1} s zstd, {:.1} s insert, {:.1} s commit, {:.1} s reading the file and the rest; \
         {:.1} CPU-seconds in {:.1} s; peak RSS {}; its SQLite file was {:.3}x the NDJSON.",
        f.parse_secs,
        f.compress_secs,
        f.insert_secs,
        f.commit_secs,
        other,
        floor.usage.cpu_secs,
        f.total_secs,
        bytes(floor.usage.memory.peak_rss),
        f.db_bytes as f64 / facts.bytes.max(1) as f64
    ));
    section.notes.push(format!(
        "`callrec import`: {:.1} CPU-seconds in {:.1} s ({:.2} cores busy on average); peak RSS {}; wall time includes \
         process start, store open and the final commit.",
        import.usage.cpu_secs,
        import.secs,
        import.usage.cpu_secs / import.secs.max(1e-9),
        bytes(import.usage.memory.peak_rss)
    ));
    if !import.total_line.is_empty() {
        section
            .notes
            .push(format!("callrec's own summary: `{}`", import.total_line));
    }
    if import.rejected > 0 {
        section.notes.push(format!(
            "**{} generated records were rejected by `callrec import`** (see logs/import.out in the work directory).",
            thousands(import.rejected as f64)
        ));
    }
}

fn store_size(store: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut p = store.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(&p).ok().map(|m| m.len())
        })
        .sum()
}

/// The period the generated calls cover, and the ranges the listings ask for.
struct Period {
    start: time::Date,
    days: u32,
}

impl Period {
    fn new(start: &str, days: u32) -> anyhow::Result<Period> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let start = time::Date::parse(start, &format)
            .with_context(|| format!("--start {start} is not YYYY-MM-DD"))?;
        if days < 2 {
            bail!("--days must be at least 2");
        }
        Ok(Period { start, days })
    }

    fn day(&self, offset: u32) -> String {
        let d = self.start + time::Duration::days(i64::from(offset));
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
    }

    /// `startDateTime` within `[first, first + days)`.
    fn filter(&self, first: u32, days: u32) -> String {
        format!(
            "startDateTime ge {} and startDateTime lt {}",
            self.day(first),
            self.day(first + days)
        )
    }
}

/// Encodes what a `$filter` value holds that cannot stand in a URL as it is.
fn encode_query_value(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('\'', "%27")
        .replace('&', "%26")
        .replace('#', "%23")
}

const LIST: &str = "/v1.0/communications/callRecords";

/// A process serving HTTP, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    /// Starts `command` (which must listen on `addr`) and waits until `ready_path` answers 200.
    fn start(
        mut command: Command,
        addr: SocketAddr,
        ready_path: &str,
    ) -> anyhow::Result<(Server, Duration)> {
        let started = Instant::now();
        let child = command.stdin(Stdio::null()).stdout(Stdio::null()).spawn()?;
        let mut server = Server { child, addr };
        loop {
            if let Ok(r) = client::get(addr, ready_path, Duration::from_secs(5))
                && r.status == 200
            {
                return Ok((server, started.elapsed()));
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("the server exited before answering ({status})");
            }
            if started.elapsed() > Duration::from_secs(120) {
                bail!("the server did not answer {ready_path} within 120 s");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn get(&self, path: &str) -> anyhow::Result<client::Response> {
        client::get(self.addr, path, Duration::from_secs(60)).with_context(|| format!("GET {path}"))
    }

    fn stop(mut self) {
        self.terminate();
    }

    fn terminate(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // SIGTERM first, so callrec shuts down as it would in production.
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn start_callrec(
    programs: &Programs,
    files: &Files,
    run: usize,
) -> anyhow::Result<(Server, Duration)> {
    let addr: SocketAddr = ([127, 0, 0, 1], system::free_port()?).into();
    let mut command = Command::new(&programs.callrec);
    command
        .arg("serve")
        .arg("--listen")
        .arg(addr.to_string())
        .arg("--store")
        .arg(&files.store);
    // The data has fixed dates, so it must not age out of the store while it is measured.
    command.args(["--auth", "none", "--retention", "forever"]);
    command.stderr(log_file(files, &format!("serve-{run}"))?);
    // The first answered request is a real read of the store, not a health check.
    Server::start(command, addr, &format!("{LIST}?$top=1"))
}

/// Records picked from the data for the read benchmarks.
struct Picks {
    /// A record of median size, and one at the 90th percentile of size.
    median_id: String,
    median_line_bytes: usize,
    large_id: String,
    large_line_bytes: usize,
    participant: String,
    sampled: usize,
}

/// Lines read from the start of the data to pick from.
const SAMPLE_LINES: usize = 20_000;

fn pick(data: &Path) -> anyhow::Result<Picks> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(data)?);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line = Vec::new();
    while lines.len() < SAMPLE_LINES {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            lines.push(line.clone());
        }
    }
    if lines.is_empty() {
        bail!("{} holds no records", data.display());
    }
    let mut by_size: Vec<usize> = (0..lines.len()).collect();
    by_size.sort_by_key(|&i| lines[i].len());
    let record = |i: usize| -> anyhow::Result<Value> { Ok(serde_json::from_slice(&lines[i])?) };
    let median = by_size[by_size.len() / 2];
    let large = by_size[by_size.len() * 9 / 10];
    let median_record = record(median)?;
    let id_of = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .context("a record without id")
    };
    let participant = median_record
        .get("participants_v2")
        .and_then(Value::as_array)
        .and_then(|ps| ps.iter().find_map(|p| p.get("id").and_then(Value::as_str)))
        .context("the median record has no participants_v2")?
        .to_owned();
    Ok(Picks {
        median_id: id_of(&median_record)?,
        median_line_bytes: lines[median].len(),
        large_id: id_of(&record(large)?)?,
        large_line_bytes: lines[large].len(),
        participant,
        sampled: lines.len(),
    })
}

/// One benchmarked URL, measured against callrec and against the baseline serving the same bytes.
struct Measured {
    path: String,
    body_bytes: usize,
    items: Option<usize>,
    callrec: WrkResult,
    baseline: WrkResult,
    callrec_usage: Usage,
}

impl Measured {
    fn ratio(&self) -> f64 {
        self.callrec.requests_per_sec / self.baseline.requests_per_sec.max(1e-9)
    }
}

fn measure(
    name: &str,
    path: &str,
    server: &Server,
    programs: &Programs,
    files: &Files,
    load: &Load,
) -> anyhow::Result<Measured> {
    eprintln!("bench: {name}: {path}");
    let response = server.get(path)?;
    if response.status != 200 {
        bail!(
            "{path} answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        );
    }
    let items = serde_json::from_slice::<Value>(&response.body)
        .ok()
        .and_then(|v| v.get("value").and_then(Value::as_array).map(Vec::len));
    let body_file = files.logs.join(format!("body-{name}.json"));
    std::fs::write(&body_file, &response.body)?;

    let warm_up = Load {
        duration: Duration::from_secs(2),
        ..*load
    };
    let baseline_addr: SocketAddr = ([127, 0, 0, 1], system::free_port()?).into();
    let mut command = Command::new(&programs.baseline);
    command
        .arg("--listen")
        .arg(baseline_addr.to_string())
        .arg("--body")
        .arg(&body_file);
    command.stderr(Stdio::null());
    let (baseline, _) = Server::start(command, baseline_addr, path)?;
    let url = baseline.url(path);
    wrk::run(&warm_up, &url)?;
    let baseline_result = wrk::run(load, &url)?;
    baseline.stop();

    let url = server.url(path);
    wrk::run(&warm_up, &url)?;
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        let pid = server.pid();
        std::thread::spawn(move || system::watch(pid, Duration::from_millis(100), &stop))
    };
    let callrec_result = wrk::run(load, &url);
    stop.store(true, Ordering::Relaxed);
    let callrec_usage = watcher.join().unwrap_or_default();
    let callrec_result = callrec_result?;
    for (who, r) in [("callrec", &callrec_result), ("baseline", &baseline_result)] {
        if r.non_2xx > 0 || r.socket_errors > 0 {
            bail!(
                "{who} on {path}: {} non-2xx answers, {} socket errors under load",
                r.non_2xx,
                r.socket_errors
            );
        }
    }
    Ok(Measured {
        path: path.to_owned(),
        body_bytes: response.body.len(),
        items,
        callrec: callrec_result,
        baseline: baseline_result,
        callrec_usage,
    })
}

/// Follows `@odata.nextLink` from `path` until page `page` (1-based) and returns that page's path and
/// number, or those of the last page when the listing is shorter.
fn deep_page_path(server: &Server, path: &str, page: u32) -> anyhow::Result<(String, u32)> {
    let mut current = path.to_owned();
    for n in 1..page {
        let response = server.get(&current)?;
        if response.status != 200 {
            bail!("page {n} of {path} answered {}", response.status);
        }
        let body: Value = serde_json::from_slice(&response.body)?;
        let Some(next) = body.get("@odata.nextLink").and_then(Value::as_str) else {
            return Ok((current, n));
        };
        let at = next
            .find("/v1.0/")
            .with_context(|| format!("unexpected nextLink {next}"))?;
        current = next[at..].to_owned();
    }
    Ok((current, page))
}

fn run_reads(
    opts: &Options,
    programs: &Programs,
    files: &Files,
    load: &Load,
    period: &Period,
) -> anyhow::Result<Vec<Section>> {
    let picks = pick(&files.data)?;

    // Start-up, three times: the first start is the first open after the import.
    let mut startups = Vec::new();
    for run in 1..=3 {
        let (server, took) = start_callrec(programs, files, run)?;
        startups.push(took);
        if run < 3 {
            server.stop();
        } else {
            return measure_reads(
                opts, programs, files, load, period, &picks, server, &startups,
            );
        }
    }
    unreachable!("the third start returns")
}

#[allow(clippy::too_many_arguments)]
fn measure_reads(
    opts: &Options,
    programs: &Programs,
    files: &Files,
    load: &Load,
    period: &Period,
    picks: &Picks,
    server: Server,
    startups: &[Duration],
) -> anyhow::Result<Vec<Section>> {
    let expand = "$expand=sessions($expand=segments)";
    let get_path = format!("{LIST}/{}?{expand}", picks.median_id);
    let get_large_path = format!("{LIST}/{}?{expand}", picks.large_id);
    let day = period.days / 2;
    let day_path = format!(
        "{LIST}?$filter={}",
        encode_query_value(&period.filter(day, 1))
    );
    let participant_path = format!(
        "{LIST}?$filter={}",
        encode_query_value(&format!(
            "participants_v2/any(p:p/id eq '{}')",
            picks.participant
        ))
    );
    let month_path = format!(
        "{LIST}?$filter={}",
        encode_query_value(&period.filter(0, period.days))
    );
    let (deep_path, deep_page) = deep_page_path(&server, &month_path, opts.deep_page)?;

    let get = measure("get", &get_path, &server, programs, files, load)?;
    let get_large = measure("get-large", &get_large_path, &server, programs, files, load)?;
    let by_day = measure("list-day", &day_path, &server, programs, files, load)?;
    let by_participant = measure(
        "list-participant",
        &participant_path,
        &server,
        programs,
        files,
        load,
    )?;
    let month_first = measure(
        "list-month-page-1",
        &month_path,
        &server,
        programs,
        files,
        load,
    )?;
    let month_deep = measure(
        "list-month-deep-page",
        &deep_path,
        &server,
        programs,
        files,
        load,
    )?;
    let end_memory = system::memory_of(server.pid()).unwrap_or_default();
    server.stop();

    let throughput_row = |figure: &str, m: &Measured, min_ratio: f64, target: &str| Row {
        figure: figure.to_owned(),
        measured: format!("{} req/s", thousands(m.callrec.requests_per_sec)),
        baseline: format!("{} req/s", thousands(m.baseline.requests_per_sec)),
        ratio: ratio(m.ratio()),
        target: target.to_owned(),
        verdict: if min_ratio > 0.0 {
            Verdict::at_least(m.ratio(), min_ratio)
        } else {
            Verdict::Info
        },
    };
    let p99_row = |figure: &str, m: &Measured, max_ms: f64| Row {
        figure: figure.to_owned(),
        measured: format!("{:.2} ms", m.callrec.p99_ms),
        baseline: format!("{:.2} ms", m.baseline.p99_ms),
        ratio: ratio(m.callrec.p99_ms / m.baseline.p99_ms.max(1e-9)),
        target: if max_ms > 0.0 {
            format!("< {max_ms} ms")
        } else {
            "reference".to_owned()
        },
        verdict: if max_ms > 0.0 {
            Verdict::at_most(m.callrec.p99_ms, max_ms - f64::EPSILON)
        } else {
            Verdict::Info
        },
    };
    let describe = |name: &str, m: &Measured| {
        format!(
            "{name}: `GET {}`: {} body{}; p50 {:.2} ms (baseline {:.2} ms).",
            m.path,
            bytes(m.body_bytes as u64),
            m.items
                .map(|n| format!(", {n} records in the page"))
                .unwrap_or_default(),
            m.callrec.p50_ms,
            m.baseline.p50_ms
        )
    };

    let get_section = Section {
        title: "Get one record with `$expand=sessions($expand=segments)`".to_owned(),
        rows: vec![
            throughput_row(
                "Median-size record, throughput",
                &get,
                0.35,
                "≥ 0.35x of baseline (aim 0.50x)",
            ),
            p99_row("Median-size record, p99 latency", &get, 10.0),
            throughput_row(
                "90th-percentile-size record, throughput",
                &get_large,
                0.0,
                "reference",
            ),
            p99_row("90th-percentile-size record, p99 latency", &get_large, 0.0),
        ],
        notes: vec![
            describe("Median-size record", &get),
            describe("90th-percentile-size record", &get_large),
            format!(
                "Records picked by NDJSON line size among the first {} lines of the data: median {}, 90th percentile {}.",
                thousands(picks.sampled as f64),
                bytes(picks.median_line_bytes as u64),
                bytes(picks.large_line_bytes as u64)
            ),
        ],
    };

    let deep_vs_first =
        month_deep.callrec.requests_per_sec / month_first.callrec.requests_per_sec.max(1e-9);
    let participant_vs_day =
        by_participant.callrec.requests_per_sec / by_day.callrec.requests_per_sec.max(1e-9);
    let mut list_section = Section {
        title: "List a page of 60".to_owned(),
        rows: vec![
            throughput_row(
                "`startDateTime` range (one day), throughput",
                &by_day,
                0.25,
                "≥ 0.25x of baseline",
            ),
            p99_row(
                "`startDateTime` range (one day), p99 latency",
                &by_day,
                20.0,
            ),
            throughput_row(
                "Participant filter, throughput",
                &by_participant,
                0.25,
                "≥ 0.25x of baseline",
            ),
            p99_row("Participant filter, p99 latency", &by_participant, 20.0),
            Row {
                figure: "Participant filter vs range filter".to_owned(),
                measured: format!(
                    "{} req/s",
                    thousands(by_participant.callrec.requests_per_sec)
                ),
                baseline: format!(
                    "{} req/s (range)",
                    thousands(by_day.callrec.requests_per_sec)
                ),
                ratio: ratio(participant_vs_day),
                target: "as fast (reference)".to_owned(),
                verdict: Verdict::Info,
            },
            throughput_row(
                "Month, page 1, throughput",
                &month_first,
                0.25,
                "≥ 0.25x of baseline",
            ),
            p99_row("Month, page 1, p99 latency", &month_first, 20.0),
            throughput_row(
                &format!("Month, page {deep_page}, throughput"),
                &month_deep,
                0.25,
                "≥ 0.25x of baseline",
            ),
            p99_row(
                &format!("Month, page {deep_page}, p99 latency"),
                &month_deep,
                20.0,
            ),
            Row {
                figure: format!("Month, page {deep_page} vs page 1"),
                measured: format!("{} req/s", thousands(month_deep.callrec.requests_per_sec)),
                baseline: format!(
                    "{} req/s (page 1)",
                    thousands(month_first.callrec.requests_per_sec)
                ),
                ratio: ratio(deep_vs_first),
                target: "as fast: ≥ 0.90x".to_owned(),
                verdict: Verdict::at_least(deep_vs_first, 0.9),
            },
        ],
        notes: vec![
            describe("One day", &by_day),
            describe("Participant", &by_participant),
            describe("Month, page 1", &month_first),
            describe(
                &format!("Month, page {deep_page} (reached by following `@odata.nextLink`)"),
                &month_deep,
            ),
        ],
    };

    if deep_page < opts.deep_page {
        list_section.notes.push(format!(
            "**The month's listing has only {deep_page} pages in this data set, so page {deep_page} stands in for page {}.**",
            opts.deep_page
        ));
    }

    let all = [
        &get,
        &get_large,
        &by_day,
        &by_participant,
        &month_first,
        &month_deep,
    ];
    let highest_rss = all
        .iter()
        .map(|m| m.callrec_usage.memory.rss)
        .max()
        .unwrap_or(0);
    let peak = all
        .iter()
        .map(|m| m.callrec_usage.memory.peak_rss)
        .max()
        .unwrap_or(0)
        .max(end_memory.peak_rss);
    let slowest_start = startups.iter().max().copied().unwrap_or_default();
    let starts: Vec<String> = startups
        .iter()
        .map(|d| format!("{:.0} ms", d.as_secs_f64() * 1e3))
        .collect();
    let memory_section = Section {
        title: "Memory and start-up".to_owned(),
        rows: vec![
            Row {
                figure: "Server RSS under load (highest sample)".to_owned(),
                measured: bytes(highest_rss),
                baseline: "—".to_owned(),
                ratio: format!("{:.2}x of target", highest_rss as f64 / 300e6),
                target: "< 300 MB".to_owned(),
                verdict: Verdict::at_most(highest_rss as f64, 300e6 - 1.0),
            },
            Row {
                figure: "Server peak RSS (VmHWM) over the whole run".to_owned(),
                measured: bytes(peak),
                baseline: "—".to_owned(),
                ratio: format!("{:.2}x of target", peak as f64 / 300e6),
                target: "< 300 MB".to_owned(),
                verdict: Verdict::at_most(peak as f64, 300e6 - 1.0),
            },
            Row {
                figure: "Start-up to first answered request (slowest of 3)".to_owned(),
                measured: format!("{:.0} ms", slowest_start.as_secs_f64() * 1e3),
                baseline: "—".to_owned(),
                ratio: format!("{:.2}x of target", slowest_start.as_secs_f64()),
                target: "< 1 s".to_owned(),
                verdict: Verdict::at_most(slowest_start.as_secs_f64(), 1.0 - f64::EPSILON),
            },
        ],
        notes: vec![
            format!(
                "Start-ups: {} (process spawn to the first `200` of `GET {LIST}?$top=1`, the first right after the import).",
                starts.join(", ")
            ),
            "RSS is sampled from `/proc/PID/status` (VmRSS) every 100 ms while wrk loads callrec."
                .to_owned(),
        ],
    };
    Ok(vec![get_section, list_section, memory_section])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_ranges() {
        let p = Period::new("2025-01-30", 30).unwrap();
        assert_eq!(p.day(0), "2025-01-30T00:00:00Z");
        assert_eq!(p.day(2), "2025-02-01T00:00:00Z");
        assert_eq!(
            p.filter(1, 1),
            "startDateTime ge 2025-01-31T00:00:00Z and startDateTime lt 2025-02-01T00:00:00Z"
        );
        assert!(Period::new("2025-13-01", 30).is_err());
        assert!(Period::new("2025-01-01", 1).is_err());
    }

    #[test]
    fn encodes_filter_values() {
        assert_eq!(
            encode_query_value("participants_v2/any(p:p/id eq 'a%b')"),
            "participants_v2/any(p:p/id%20eq%20%27a%25b%27)"
        );
    }

    #[test]
    fn reads_counts_from_the_import_summary() {
        let line = "total: 900 imported, 100 replaced, 0 ignored as stale, 7 rejected, 3 warnings in 1.00s (1000 records/s, 4.0 MB/s)";
        assert_eq!(count_before(line, "rejected"), Some(7));
        assert_eq!(count_before(line, "imported"), Some(900));
        assert_eq!(count_before(line, "missing"), None);
    }

    #[test]
    fn picks_median_and_large_records() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("d.ndjson");
        let mut text = String::new();
        for i in 0..10 {
            let pad = "x".repeat(i * 10);
            text.push_str(&format!(
                "{{\"id\":\"r{i}\",\"pad\":\"{pad}\",\"participants_v2\":[{{\"id\":\"p{i}\"}}]}}\n"
            ));
        }
        std::fs::write(&data, text).unwrap();
        let picks = pick(&data).unwrap();
        assert_eq!(picks.median_id, "r5");
        assert_eq!(picks.participant, "p5");
        assert_eq!(picks.large_id, "r9");
        assert_eq!(picks.sampled, 10);
    }
}
