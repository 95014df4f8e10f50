//! The rules of the house, held by a test over the source (`cargo test -p callrec --test tidy -- --nocapture`
//! also prints the rooms of the `callrec` crate and what each uses):
//!
//! - every Rust file of the workspace opens with a `//!` comment that says what it is for;
//! - axum, and the router's types, stay inside the HTTP edge (`src/http.rs`, `src/http/`);
//! - no domain room imports the HTTP edge (`crate::http`) or the command line (`crate::cli`);
//! - the rooms (the crate's top-level modules) import each other without a circle;
//! - the store's traits name no database driver's type (`rusqlite`, `tokio_postgres`, `deadpool`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.rs` files under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The source of the `callrec` crate, each file with the room it belongs to (its top-level module).
fn callrec_sources() -> Vec<(String, PathBuf, String)> {
    let src = workspace().join("crates/callrec/src");
    rust_files(&src)
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).expect("under src");
            let first = relative
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or_default();
            let room = first.trim_end_matches(".rs").to_owned();
            let text = read(&path);
            (room, path, text)
        })
        .collect()
}

/// The lines of code, without `//` comments (doc comments name modules without importing them).
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with("//"))
}

/// The rooms this source names through `crate::`: `crate::a::b`, `crate::{a, b::c}` and the like.
fn rooms_named(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    let code: String = code_lines(text).collect::<Vec<_>>().join("\n");
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `callrec_crate::`, not `crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if depth == 1 && c == ',' {
                    if at_start && !item.is_empty() {
                        named.insert(std::mem::take(&mut item));
                    }
                    at_start = true;
                    item.clear();
                    continue;
                }
                if at_start {
                    if c.is_alphanumeric() || c == '_' {
                        item.push(c);
                    } else if !item.is_empty() {
                        named.insert(std::mem::take(&mut item));
                        at_start = false;
                    }
                }
            }
            if at_start && !item.is_empty() {
                named.insert(item);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                named.insert(name);
            }
        }
    }
    named
}

#[test]
fn every_source_file_opens_with_what_it_is_for() {
    let mut missing = Vec::new();
    let crates = workspace().join("crates");
    for krate in std::fs::read_dir(&crates).expect("crates").flatten() {
        for part in ["src", "tests", "benches", "examples"] {
            for path in rust_files(&krate.path().join(part)) {
                let text = read(&path);
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                if !first.starts_with("//!") {
                    missing.push(path.strip_prefix(&crates).unwrap_or(&path).to_owned());
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` comment saying what they are for: {missing:#?}"
    );
}

#[test]
fn axum_stays_inside_the_http_edge() {
    let outside: Vec<_> = callrec_sources()
        .into_iter()
        .filter(|(room, _, text)| {
            room != "http"
                && code_lines(text).any(|l| l.contains("axum::") || l.contains("use axum"))
        })
        .map(|(_, path, _)| path)
        .collect();
    assert!(
        outside.is_empty(),
        "axum is used outside src/http: {outside:#?}"
    );
}

#[test]
fn no_domain_room_imports_the_http_edge_or_the_command_line() {
    let mut wrong = Vec::new();
    for (room, path, text) in callrec_sources() {
        if ["http", "cli", "main", "lib"].contains(&room.as_str()) {
            continue;
        }
        for edge in ["http", "cli"] {
            if rooms_named(&text).contains(edge) {
                wrong.push(format!("{} uses crate::{edge}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The rooms of the crate and the rooms each one names.
fn room_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (room, _, text) in callrec_sources() {
        if room == "main" || room == "lib" {
            continue;
        }
        let uses = graph.entry(room.clone()).or_default();
        uses.extend(rooms_named(&text).into_iter().filter(|r| *r != room));
    }
    let rooms: BTreeSet<String> = graph.keys().cloned().collect();
    for uses in graph.values_mut() {
        uses.retain(|r| rooms.contains(r));
    }
    graph
}

/// A circle of rooms, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        room: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(room) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = path.iter().position(|r| r == room).unwrap_or(0);
                let mut found = path[from..].to_vec();
                found.push(room.to_owned());
                return Some(found);
            }
            None => {}
        }
        marks.insert(room.to_owned(), Mark::Open);
        path.push(room.to_owned());
        for next in graph.get(room).into_iter().flatten() {
            if let Some(found) = visit(next, graph, marks, path) {
                return Some(found);
            }
        }
        path.pop();
        marks.insert(room.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|room| visit(room, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn the_rooms_import_each_other_without_a_circle() {
    let graph = room_graph();
    println!("The rooms of the callrec crate and the rooms each uses:");
    for (room, uses) in &graph {
        let list: Vec<&str> = uses.iter().map(String::as_str).collect();
        println!("  {room:<14} {}", list.join(", "));
    }
    assert!(
        graph.contains_key("http") && graph.contains_key("ingest"),
        "{graph:?}"
    );
    if let Some(found) = circle(&graph) {
        panic!(
            "the rooms import each other in a circle: {}",
            found.join(" -> ")
        );
    }
}

#[test]
fn the_circle_finder_finds_circles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        circle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        rooms_named(
            "use crate::{auth, ingest::{self, Kind}, period};\nlet x = crate::whole::WHOLE;\n// crate::cli"
        ),
        ["auth", "ingest", "period", "whole"]
            .map(String::from)
            .into()
    );
}

#[test]
fn the_store_traits_name_no_driver_type() {
    let src = workspace().join("crates/callrec-store/src");
    let mut wrong = Vec::new();
    for file in ["lib.rs", "logs.rs", "quality.rs", "subscriptions.rs"] {
        let text = read(&src.join(file));
        for driver in ["rusqlite", "tokio_postgres", "deadpool"] {
            if code_lines(&text).any(|l| l.contains(driver)) {
                wrong.push(format!("{file} names {driver}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
