//! The README's commands against what ships: every file it names is in the repository and is accepted
//! as the README says, and every `callrec` command line in it uses a subcommand and flags the binary has.
//! (The commands themselves are run end to end, in order, by hand on a fresh clone before a release.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::TestServer;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

/// The shell code of the README's fenced blocks, with continued lines joined.
fn shell_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_block = false;
    let mut current = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let line = line.trim_end();
        if let Some(start) = line.strip_suffix('\\') {
            current.push_str(start);
            current.push(' ');
        } else {
            current.push_str(line);
            lines.push(std::mem::take(&mut current));
        }
    }
    lines
}

#[test]
fn every_file_the_readme_names_ships_in_examples() {
    let text = readme();
    let named: BTreeSet<&str> = text
        .split(|c: char| c.is_whitespace() || c == '@' || c == '(' || c == ')' || c == '`')
        .filter(|w| w.starts_with("examples/") && w.len() > "examples/".len())
        .collect();
    assert!(named.len() >= 3, "{named:?}");
    for path in named {
        assert!(
            root().join(path).is_file(),
            "the README names {path}, which does not exist"
        );
    }
}

#[test]
fn the_example_files_are_accepted_as_the_readme_says() {
    let server = TestServer::start();
    let read = |name: &str| std::fs::read(root().join("examples").join(name)).expect(name);
    let record: Value = serde_json::from_slice(&read("record.json")).expect("record.json is JSON");
    let reply = server.post("/v1.0/communications/callRecords", &record);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = record["id"].as_str().expect("id");
    assert!(
        readme().contains(id),
        "the README's PUT and DELETE name the example's id {id}"
    );
    let reply = server.send_bytes(
        "POST",
        "/callrec/import",
        &read("records.ndjson"),
        &[("content-type", "application/x-ndjson")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let summary = reply.json();
    assert_eq!(summary["rejected"], 0, "{summary}");
    assert!(summary["imported"].as_u64() >= Some(10), "{summary}");
    let reply = server.send_bytes(
        "PUT",
        "/callrec/buildings",
        &read("buildings.csv"),
        &[("content-type", "text/csv")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply.json()["buildings"].as_u64() >= Some(5),
        "{}",
        reply.text
    );
}

#[test]
fn every_callrec_command_in_the_readme_uses_flags_the_binary_has() {
    let mut flags_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in shell_lines(&readme()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (at, word) in words.iter().enumerate() {
            // `callrec`, `$(callrec` and the like, at the start of a command.
            if word.trim_start_matches("$(") != "callrec" {
                continue;
            }
            let Some(sub) = words.get(at + 1) else {
                continue;
            };
            if sub.starts_with('-') {
                continue;
            }
            // A subcommand of a subcommand (`callrec app add`) is checked against its own help.
            let nested = words.get(at + 2).filter(|w| {
                w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-')
            });
            let (key, rest) = match nested {
                Some(next) => (format!("{sub} {next}"), at + 3),
                None => ((*sub).to_owned(), at + 2),
            };
            let flags = flags_of.entry(key).or_default();
            for w in &words[rest.min(words.len())..] {
                if ["|", "&", "&&", ";", "#"].contains(w) {
                    break;
                }
                if let Some(flag) = w.strip_prefix("--") {
                    let flag = flag.split('=').next().unwrap_or(flag);
                    flags.insert(format!("--{flag}"));
                }
            }
        }
    }
    assert!(
        flags_of
            .get("serve")
            .is_some_and(|f| f.contains("--jwt-secret"))
            && flags_of
                .get("import")
                .is_some_and(|f| f.contains("--store")),
        "the README's command lines were not read: {flags_of:?}"
    );
    for (sub, flags) in &flags_of {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_callrec"))
            .args(sub.split(' ').chain(["--help"]))
            .output()
            .expect("run callrec");
        assert!(
            output.status.success(),
            "the README runs `callrec {sub}`, which is not a subcommand: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let help = String::from_utf8_lossy(&output.stdout);
        for flag in flags {
            assert!(
                help.contains(&format!("{flag} "))
                    || help.contains(&format!("{flag}\n"))
                    || help.contains(&format!("{flag}="))
                    || help.contains(&format!("{flag} <")),
                "the README gives `callrec {sub} {flag}`, which `callrec {sub} --help` does not list"
            );
        }
    }
}
