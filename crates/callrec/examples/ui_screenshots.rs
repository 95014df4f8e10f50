//! Screenshots of every view of the web UI on the demo tenant, and the times and page weights measured in
//! the browser, for the README and BENCHMARKS.md:
//!
//! ```text
//! cargo run --release -p callrec --example ui_screenshots            # writes docs/ui/*.png
//! cargo run --release -p callrec --example ui_screenshots -- --out /tmp/ui --runs 9
//! ```
//!
//! A fresh store is filled as `callrec serve --demo` fills it (the documentation's examples and 3,000
//! generated calls over the last 30 days with their log rows), with the building map of
//! `examples/buildings.csv` and a meeting of 300 sessions added; it is served on loopback as
//! `callrec serve` serves it, and headless Chromium is driven through chromedriver as the browser tests
//! drive it (`tests/http/browser.rs`). Without Chromium it says so and stops.
//!
//! Each time is the median of `--runs` loads after one warm-up, from the view's start to its last element
//! drawn (`performance.now()` in the page), beside the baseline of the same run: the view's main API
//! requests (the first page of calls; the record with every page of its sessions; the two reports),
//! fetched alone by the same page. Prints Markdown for BENCHMARKS.md.

#[allow(dead_code)]
#[path = "../tests/http/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "../tests/http/ui_data.rs"]
mod ui_data;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use callrec::http::{self, ApiConfig, AppState};
use callrec_store::WriteCondition;
use clap::Parser;

use browser::Browser;

#[derive(Debug, Parser)]
struct Args {
    /// Where the PNG files go.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/ui"))]
    out: PathBuf,
    /// Loads of each view timed (after one warm-up).
    #[arg(long, default_value_t = 7)]
    runs: usize,
}

const MEETING: &str = "ui-meeting-300";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("demo.db");
    let store = callrec::storage::open(path.to_str().context("a UTF-8 path")?).await?;
    let tenant = callrec::auth::DEFAULT_TENANT;
    eprintln!("filling a demo store (3,000 calls over 30 days)...");
    callrec::demo::fill_if_empty(&store, tenant, 3000).await?;
    let meeting = callrec::ingest::admit_record(
        ui_data::meeting(MEETING, 300),
        &callrec::ingest::IngestOptions::default(),
    )
    .map_err(|e| anyhow::anyhow!("the meeting does not validate: {e}"))?;
    store
        .put_records(
            tenant,
            vec![meeting.prepare()],
            WriteCondition::NewerVersion,
        )
        .await?;

    let notifier = callrec::notify::Notifier::new(callrec::notify::NotifyConfig::default());
    let metrics = Arc::new(callrec::metrics::Metrics::new());
    let state = AppState::new(store, ApiConfig::default(), notifier, metrics);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(http::serve(listener, state, std::future::pending()));

    let buildings = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/buildings.csv"
    ))?;
    let put = format!("{base}/callrec/buildings");
    tokio::task::spawn_blocking(move || {
        ureq::put(&put)
            .header("content-type", "text/csv")
            .send(&buildings[..])
            .map(|_| ())
    })
    .await??;

    let Some(b) = Browser::start("ui_screenshots", 1280, 900).await else {
        return Ok(());
    };
    let outcome = run(&b, &base, &args).await;
    b.close().await;
    outcome
}

async fn run(b: &Browser, base: &str, args: &Args) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.out)?;
    // Page weight, on the first load with an empty cache.
    b.open(&format!("{base}/#/calls"), "calls").await;
    let weights = b
        .until(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
               .filter((e) => e.name.includes('/ui/') || e.entryType === 'navigation')
               .map((e) => [new URL(e.name).pathname, e.transferSize, e.encodedBodySize, e.decodedBodySize])",
        )
        .await;

    let poor_group = b
        .until(
            "fetch(\"/v1.0/communications/callRecords?$select=id&$top=1&$filter=\" +
               encodeURIComponent(\"quality eq 'poor' and type eq 'groupCall'\")).then((r) => r.json())
               .then((j) => j.value[0].id)",
        )
        .await;
    let poor_group = poor_group.as_str().context("a poor group call")?.to_owned();

    let shots: [(&str, String, u32); 8] = [
        ("calls", "#/calls".into(), 900),
        ("calls-poor", "#/calls?poor=1&type=groupCall".into(), 900),
        ("call", format!("#/call/{poor_group}"), 2200),
        ("meeting-300", format!("#/call/{MEETING}"), 1400),
        (
            "quality",
            "#/quality?days=30&by=building&min=10".into(),
            1100,
        ),
        (
            "quality-user",
            "#/quality?days=7&by=user&min=10".into(),
            1100,
        ),
        ("logs", "#/logs?kind=directRouting".into(), 900),
        ("operations", "#/operations".into(), 900),
    ];
    for (name, hash, height) in &shots {
        b.client.set_window_size(1280, *height).await?;
        let view = view_of(hash);
        b.open(&format!("{base}/#/operations"), "operations").await;
        b.open(&format!("{base}/{hash}"), view).await;
        // Let the late parts (participant counts, the first session's details) finish.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let png = b.client.screenshot().await?;
        let file = args.out.join(format!("{name}.png"));
        std::fs::write(&file, &png)?;
        eprintln!("wrote {} ({} KB)", file.display(), png.len() / 1024);
    }
    b.client.set_window_size(1280, 900).await?;

    let calls_api = "['/v1.0/communications/callRecords?$orderby=startDateTime%20desc']";
    let meeting_api = format!(
        "['/v1.0/communications/callRecords/{MEETING}?$expand=sessions($expand=segments),participants_v2']"
    );
    let quality_api = "['/callrec/reports/quality?by=day&days=30', \
        '/callrec/reports/quality?by=building&days=30&order=worst&minStreams=10&top=100']";
    let timed = [
        (
            "Calls, first page of 50",
            "#/calls".to_owned(),
            calls_api.to_owned(),
        ),
        (
            "One call: 300 sessions",
            format!("#/call/{MEETING}"),
            meeting_api,
        ),
        (
            "Quality, 30 days by building",
            "#/quality".to_owned(),
            quality_api.to_owned(),
        ),
    ];
    println!(
        "| View | Drawn in the browser (median ms) | Its API requests alone (median ms) | Ratio |"
    );
    println!("|---|---:|---:|---:|");
    for (label, hash, api) in &timed {
        let view = view_of(hash);
        let mut drawn = Vec::new();
        let mut alone = Vec::new();
        for run in 0..=args.runs {
            b.open(&format!("{base}/#/operations"), "operations").await;
            b.client
                .execute(&format!("location.hash = '{hash}';"), vec![])
                .await?;
            b.until(&format!(
                "document.querySelector('main[data-view=\"{view}\"][data-state=\"ready\"]')"
            ))
            .await;
            let ms = b
                .until("+document.querySelector('main').dataset.renderMs + 1e-9")
                .await;
            let api_ms = b
                .until(&format!(
                    "(async () => {{ const t = performance.now(); const urls = {api};
                       await Promise.all(urls.map(async (u) => {{
                         let page = await (await fetch(u, {{ headers: {{ prefer: 'odata.maxpagesize=50' }} }})).json();
                         for (const k of Object.keys(page)) if (k.endsWith('@odata.nextLink') && k !== '@odata.nextLink')
                           for (let l = page[k]; l; ) {{ const p = await (await fetch(l)).json(); l = p['@odata.nextLink']; }}
                       }}));
                       return performance.now() - t + 1e-9; }})()"
                ))
                .await;
            if run > 0 {
                drawn.push(ms.as_f64().unwrap_or_default());
                alone.push(api_ms.as_f64().unwrap_or_default());
            }
        }
        let (d, a) = (median(&mut drawn), median(&mut alone));
        println!("| {label} | {d:.0} | {a:.0} | {:.2} |", d / a.max(0.001));
    }
    println!();
    println!("| Asset | Transferred (bytes) | Body as sent | Body |");
    println!("|---|---:|---:|---:|");
    for row in weights.as_array().into_iter().flatten() {
        let cell = |i: usize| row[i].as_f64().unwrap_or_default();
        let name = row[0].as_str().unwrap_or_default();
        println!(
            "| `{name}` | {:.0} | {:.0} | {:.0} |",
            cell(1),
            cell(2),
            cell(3)
        );
    }
    Ok(())
}

fn view_of(hash: &str) -> &'static str {
    match hash.trim_start_matches("#/").split(['/', '?']).next() {
        Some("call") => "call",
        Some("quality") => "quality",
        Some("logs") => "logs",
        Some("operations") => "operations",
        _ => "calls",
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}
