//! The command line's output for people and machines, from the real binary: sentences rather than Rust
//! structs, no colour escapes in a pipe, JSON lines with `--log-format json`, and read-only commands that
//! refuse a store that does not exist.

use std::process::{Command, Stdio};

fn callrec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_callrec"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CALLREC_LOG_FORMAT")
        .env_remove("CALLREC_STORE")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .output()
        .expect("run callrec")
}

#[test]
fn report_refuses_a_missing_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("mistyped.db");
    let out = callrec(&["report", "--store", store.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no store at"), "{stderr}");
    assert!(!store.exists(), "the report created the store");
}

#[test]
fn generate_says_what_it_made_in_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.ndjson");
    let out = callrec(&[
        "generate",
        "--records",
        "50",
        "--out",
        file.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Generated 50 call records"), "{stderr}");
    assert!(
        !stderr.contains('{') && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
}

#[test]
fn serve_logs_sentences_without_colour_in_a_pipe_and_json_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let store = store.to_str().unwrap();
    // A store in a missing folder stops start-up before anything listens, after the settings are logged.
    let missing = dir.path().join("no").join("s.db");
    for json in [false, true] {
        let mut args = vec![
            "serve",
            "--listen",
            "0",
            "--jwt-secret",
            "s",
            "--store",
            store,
        ];
        if json {
            args.splice(0..0, ["--log-format", "json"]);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_callrec"))
            .args(&args)
            .env_remove("NO_COLOR")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::BufRead;
        let mut log = Vec::new();
        for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
            let line = line.unwrap();
            let done = line.contains("callrec is serving");
            log.push(line);
            if done {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        let text = log.join("\n");
        assert!(
            text.contains("callrec is serving http://127.0.0.1:"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(
            !text.contains("Authenticator {") && !text.contains("Limits {"),
            "{text}"
        );
        if json {
            for line in &log {
                let v: serde_json::Value = serde_json::from_str(line).expect(line);
                assert!(v["level"].is_string() && v["message"].is_string(), "{line}");
            }
        } else {
            assert!(text.contains("throttling: Graph's limits"), "{text}");
        }
    }
    let out = callrec(&[
        "serve",
        "--listen",
        "0",
        "--store",
        missing.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("does not exist") && stderr.matches("s.db").count() == 0,
        "{stderr}"
    );
}
