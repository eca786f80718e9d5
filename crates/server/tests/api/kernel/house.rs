//! The house rules (ADR 0020), read from the sources: sizes, no `too_many_arguments`, no role
//! decisions in the store, and no store write beginning its own transaction outside the
//! pipelines that own theirs.

use std::path::{Path, PathBuf};

/// Files where the store begins transactions itself, and why (ADR 0020, "How it stands").
const OWN_TRANSACTIONS: &[&str] = &[
    "store/src/db.rs",                    // the helpers themselves
    "store/src/migrate.rs",               // start-up
    "store/src/prevention/criteria.rs",   // seeding the shipped criteria at start-up
    "store/src/monitoring/ingest.rs",     // the ingest writer's group commits, the offline sweep
    "store/src/monitoring/trends.rs",     // the trend rollup job
    "store/src/monitoring/partitions.rs", // the trend job's partition upkeep (PostgreSQL DDL)
];

/// The non-test Rust sources of the workspace: (path relative to crates/, lines before any
/// top-level `#[cfg(test)]`).
fn sources() -> Vec<(String, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read crates") {
            let p = entry.expect("entry").path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if !matches!(name, "target" | "tests" | "node_modules") {
                    stack.push(p);
                }
            } else if name.ends_with(".rs") && name != "tests.rs" {
                let text = std::fs::read_to_string(&p).expect("read source");
                let lines: Vec<String> = text
                    .lines()
                    .take_while(|l| !l.starts_with("#[cfg(test)]"))
                    .map(str::to_string)
                    .collect();
                let rel = p
                    .strip_prefix(&root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, lines));
            }
        }
    }
    out.sort();
    out
}

/// The name of the function a line opens, if it opens one with a body.
fn opens_fn(line: &str) -> Option<&str> {
    let mut t = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        t = t.strip_prefix(prefix).unwrap_or(t);
    }
    let t = t.strip_prefix("async ").unwrap_or(t);
    let rest = t.strip_prefix("fn ")?;
    if line.trim_end().ends_with(';') {
        return None;
    }
    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
}

#[test]
fn files_stay_under_800_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(_, l)| l.len() > 800)
        .map(|(p, l)| format!("{p}: {}", l.len()))
        .collect();
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
}

#[test]
fn functions_stay_under_80_lines_or_say_why() {
    let mut long = Vec::new();
    for (path, lines) in sources() {
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = opens_fn(line) else { continue };
            let indent = &line[..line.len() - line.trim_start().len()];
            let close = format!("{indent}}}");
            let Some(len) = lines[i..].iter().position(|l| *l == close) else {
                continue;
            };
            let reason = lines[i.saturating_sub(4)..i + len]
                .iter()
                .any(|l| l.contains("Long because"));
            if len > 80 && !reason {
                long.push(format!("{path}: {name} ({len} lines)"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 80 lines without a reason: {long:#?}"
    );
}

#[test]
fn no_allowance_for_too_many_arguments() {
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|(_, l)| l.iter().any(|l| l.contains("too_many_arguments")))
        .map(|(p, _)| p)
        .collect();
    assert!(
        found.is_empty(),
        "clippy::too_many_arguments allowed in {found:?}"
    );
}

#[test]
fn the_store_decides_no_roles() {
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|(p, _)| p.starts_with("store/"))
        .flat_map(|(p, lines)| {
            lines
                .into_iter()
                .enumerate()
                .filter(|(_, l)| l.contains("Role::") && !l.contains("Role::parse"))
                .map(move |(i, _)| format!("{p}:{}", i + 1))
        })
        .collect();
    assert!(found.is_empty(), "role decisions in the store: {found:?}");
}

#[test]
fn use_cases_own_the_transactions() {
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|(p, _)| p.starts_with("store/") && !OWN_TRANSACTIONS.contains(&p.as_str()))
        .flat_map(|(p, lines)| {
            lines
                .into_iter()
                .enumerate()
                .filter(|(_, l)| l.contains(".begin()") || l.contains("begin_writer()"))
                .map(move |(i, _)| format!("{p}:{}", i + 1))
        })
        .collect();
    assert!(
        found.is_empty(),
        "store writes beginning their own transaction: {found:?}"
    );
}
