//! The shape of `src/`, checked: no two modules depend on each other, however indirectly, among
//! the modules of one folder (an import circle makes a change in one ripple round the others),
//! and the layers point down: `practice` uses nothing of the app's but itself, `store` and
//! `audio` nothing above them, `app` no `ui`, `ui` no `cli`.
//!
//! A module's dependencies are the paths it names (`crate::a::b`, `super::c`, `use super::{d, e}`),
//! outside comments and its `#[cfg(test)] mod tests`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every module under `src/`, by path (`["app", "state"]`), with its source.
fn modules() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, root: &Path, found: &mut BTreeMap<Module, String>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("src/ can be read")
            .map(|e| e.expect("an entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under src/");
                let mut module: Module = relative
                    .with_extension("")
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .collect();
                if module.last().is_some_and(|last| last == "mod") {
                    module.pop();
                }
                if module == ["lib"] || module == ["main"] {
                    module.clear();
                }
                let source = std::fs::read_to_string(&path).expect("a source file reads");
                found.insert(module, source);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    walk(&root, &root, &mut found);
    found
}

/// The source without comments and without its unit tests.
fn code_of(source: &str) -> String {
    let without_tests = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    without_tests
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The `::`-separated lower-case identifiers starting at `text`'s beginning.
fn path_at(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let end = rest.find(|c: char| !is_ident_char(c)).unwrap_or(rest.len());
        let part = &rest[..end];
        if part.is_empty() || !part.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
            break;
        }
        parts.push(part.to_owned());
        match rest[end..].strip_prefix("::") {
            Some(after) => rest = after,
            None => break,
        }
    }
    parts
}

/// The module paths `module`'s code names, as paths from the crate's root.
fn named_paths(module: &Module, code: &str) -> BTreeSet<Module> {
    let mut named = BTreeSet::new();
    let preceded_by_ident = |at: usize| code[..at].chars().next_back().is_some_and(is_ident_char);
    for (at, _) in code.match_indices("crate::") {
        if !preceded_by_ident(at) {
            named.insert(path_at(&code[at + "crate::".len()..]));
        }
    }
    for (at, _) in code.match_indices("super::") {
        if preceded_by_ident(at) || code[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &code[at..];
        let mut base = module.clone();
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop();
            rest = after;
        }
        if let Some(list) = rest.strip_prefix('{') {
            let items = &list[..list.find('}').unwrap_or(list.len())];
            for item in items.split(',') {
                let path = path_at(item.trim());
                if let Some(first) = path.first().filter(|first| first.as_str() != "self") {
                    let mut full = base.clone();
                    full.push(first.clone());
                    named.insert(full);
                }
            }
        } else {
            let mut full = base;
            full.extend(path_at(rest));
            named.insert(full);
        }
    }
    named
}

/// For each module, the sibling modules (same parent) it depends on, directly or through a
/// module inside them.
fn sibling_dependencies(modules: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, source) in modules {
        for path in named_paths(module, &code_of(source)) {
            let Some(target) = (1..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|prefix| modules.contains_key(prefix))
            else {
                continue;
            };
            let shared = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if shared >= module.len() || shared >= target.len() {
                continue; // a parent and its child
            }
            let (from, to) = (module[..=shared].to_vec(), target[..=shared].to_vec());
            if from != to {
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    edges
}

/// The circles among `edges`, each as its modules.
fn circles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    let reaches = |from: &Module, to: &Module| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(next) = todo.pop() {
            for after in edges.get(&next).into_iter().flatten() {
                if after == to {
                    return true;
                }
                if seen.insert(after.clone()) {
                    todo.push(after.clone());
                }
            }
        }
        false
    };
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for module in edges.keys() {
        if reaches(module, module) {
            let mut circle: Vec<String> = edges
                .keys()
                .filter(|other| reaches(module, other) && reaches(other, module))
                .map(|m| m.join("/"))
                .collect();
            circle.sort();
            found.insert(circle);
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_module_depends_on_itself_through_its_siblings() {
    let modules = modules();
    assert!(modules.len() > 50, "the sources were found");
    let found = circles(&sibling_dependencies(&modules));
    assert!(found.is_empty(), "import circles in src/: {found:?}");
}

#[test]
fn the_layers_point_down() {
    // What each top-level module may use of the crate's others.
    let allowed: &[(&str, &[&str])] = &[
        ("practice", &[]),
        ("clock", &["practice"]),
        ("store", &["practice", "clock"]),
        ("audio", &["practice", "clock"]),
        ("session", &["practice", "clock", "store", "audio"]),
        ("desktop", &["practice", "clock", "store"]),
        (
            "app",
            &["practice", "clock", "store", "audio", "session", "desktop"],
        ),
        (
            "ui",
            &[
                "practice", "clock", "store", "audio", "session", "desktop", "app",
            ],
        ),
    ];
    let modules = modules();
    let edges = sibling_dependencies(&modules);
    let mut wrong = Vec::new();
    for (layer, may_use) in allowed {
        let uses = edges
            .get(&vec![(*layer).to_owned()])
            .cloned()
            .unwrap_or_default();
        for used in uses {
            let name = used.join("/");
            if !may_use.contains(&name.as_str()) {
                wrong.push(format!("{layer} uses {name}"));
            }
        }
    }
    assert!(wrong.is_empty(), "layers pointing up: {wrong:?}");
}

#[test]
fn the_check_sees_a_circle_when_there_is_one() {
    let module = |path: &str, source: &str| {
        (
            path.split('/').map(str::to_owned).collect::<Module>(),
            source.to_owned(),
        )
    };
    let planted: BTreeMap<Module, String> = [
        module("app", "mod a; mod b;"),
        module("app/a", "use super::b::Thing;"),
        module(
            "app/b",
            "use super::{a, c};\n// super::d in a comment is not a use",
        ),
        module("app/c", "fn f() { crate::app::a::g() }"),
        module("app/d", ""),
    ]
    .into_iter()
    .collect();
    let found = circles(&sibling_dependencies(&planted));
    assert_eq!(found, vec![vec!["app/a", "app/b", "app/c"]]);
}
