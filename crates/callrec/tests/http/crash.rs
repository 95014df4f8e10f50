//! Crash safety: a server killed with SIGKILL while records are being written keeps every record it
//! acknowledged, whole; nothing half-written appears after the restart.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{record, spawn_serve};

#[test]
fn a_killed_server_keeps_every_acknowledged_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("crash.db");
    let (mut child, base) = spawn_serve(&store, &[]);
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, usize)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let (base, acknowledged, stop) = (base.clone(), acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let id = format!("w{w}-{i}");
                    let sessions = 1 + (i % 7);
                    let rec = record(&id, "2024-01-01T10:00:00Z", sessions, 2);
                    let result = agent
                        .post(&format!("{base}/v1.0/communications/callRecords"))
                        .header("content-type", "application/json")
                        .send(rec.to_string());
                    match result {
                        Ok(r) if r.status().as_u16() == 201 => {
                            acknowledged.lock().expect("lock").push((id, sessions))
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    // Let the writers get going, then kill the server in the middle of their writes.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().expect("lock").len() < 300 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 50,
        "too few writes before the kill: {}",
        acknowledged.len()
    );

    let (mut child, base) = spawn_serve(&store, &[]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for (id, sessions) in &acknowledged {
        let mut reply = agent
            .get(&format!("{base}/v1.0/communications/callRecords/{id}?$expand=sessions($expand=segments),participants_v2"))
            .call()
            .expect("GET");
        assert_eq!(
            reply.status().as_u16(),
            200,
            "acknowledged record {id} was lost"
        );
        let body: serde_json::Value =
            serde_json::from_str(&reply.body_mut().read_to_string().expect("body")).expect("JSON");
        assert_eq!(
            body["sessions"].as_array().map(Vec::len),
            Some(*sessions),
            "{id} is not whole"
        );
        assert_eq!(
            body["participants_v2"].as_array().map(Vec::len),
            Some(2),
            "{id} is not whole"
        );
    }
    // Nothing half-written: every record in the store, acknowledged or not, is whole.
    let mut next = Some(format!("{base}/v1.0/communications/callRecords"));
    let mut seen = 0;
    while let Some(url) = next {
        let page: serde_json::Value = serde_json::from_str(
            &agent
                .get(&url)
                .call()
                .expect("list")
                .body_mut()
                .read_to_string()
                .expect("body"),
        )
        .expect("JSON");
        for item in page["value"].as_array().expect("value") {
            let id = item["id"].as_str().expect("id");
            let i: usize = id
                .rsplit('-')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("index");
            let full: serde_json::Value = serde_json::from_str(
                &agent
                    .get(&format!(
                        "{base}/v1.0/communications/callRecords/{id}/sessions"
                    ))
                    .header("Prefer", "odata.maxpagesize=60")
                    .call()
                    .expect("sessions")
                    .body_mut()
                    .read_to_string()
                    .expect("body"),
            )
            .expect("JSON");
            assert_eq!(
                full["value"].as_array().map(Vec::len),
                Some(1 + i % 7),
                "{id} is half-written"
            );
            seen += 1;
        }
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert!(seen >= acknowledged.len());
    println!(
        "crash test: {} acknowledged before SIGKILL, {} stored after restart, all whole",
        acknowledged.len(),
        seen
    );
    child.kill().ok();
    child.wait().ok();
}

#[test]
fn a_killed_import_keeps_every_committed_batch_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("import.db");
    let input = dir.path().join("records.ndjson");
    let total = 30_000;
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&input).expect("create"));
        for i in 0..total {
            writeln!(
                f,
                "{}",
                record(&format!("r{i}"), "2024-01-01T10:00:00Z", 1 + i % 5, 1)
            )
            .expect("write");
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_callrec"))
        .args(["import", "--store"])
        .arg(&store)
        .arg(&input)
        .env("RUST_LOG", "callrec=debug")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start callrec import");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut committed = 0u64;
    for line in lines.by_ref() {
        let line = line.expect("read stderr");
        if let Some(n) = line
            .split("records=")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
        {
            committed = n;
            if committed >= 3000 {
                break;
            }
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    assert!(committed >= 3000, "the import never reported a commit");
    assert!(
        committed < total as u64,
        "the import finished before it could be killed; make the input larger"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let store = callrec::storage::open(store.to_str().expect("utf-8")).await.expect("reopen");
        let mut present = 0;
        for i in 0..total {
            let id = format!("r{i}");
            let row = store.get_record(callrec::auth::DEFAULT_TENANT, &id).await.expect("read");
            match row {
                Some(row) => {
                    present += 1;
                    assert_eq!(row.session_count as usize, 1 + i % 5, "{id} is half-written");
                    let sessions = store
                        .sessions(callrec::auth::DEFAULT_TENANT, &id, callrec_store::Slice { offset: 0, limit: 10 }, true)
                        .await
                        .expect("sessions")
                        .expect("record");
                    assert_eq!(sessions.len(), 1 + i % 5, "{id} is half-written");
                }
                None => assert!((i as u64) >= committed, "{id} was committed (reported) but is missing"),
            }
        }
        println!("import crash test: {committed} records reported committed before SIGKILL, {present} present after, all whole");
    });
}
