//! The JavaScript glue wasm-bindgen writes, made ready to ship: its JSDoc
//! blocks and exported classes dropped, and its names for the module's
//! imports and exports rewritten to the short ones `wasm-opt
//! --minify-imports-and-exports-and-modules` gave the module.
//!
//! The page runs the entry module for its side effect and imports nothing
//! from it, so the classes the module exports are never used. The only ones
//! are `wasm-streams`' `IntoUnderlying*`, which leptos's `server_fn` brings
//! in; with them and the exports only they call gone, the list pages'
//! bundle is 2.5 KB gzip smaller.
//!
//! wasm-bindgen names every import `__wbg_<name>_<16 hex digits>`: 125 of
//! them in the list pages' module, once in the module and once in the
//! glue, where gzip cannot shorten the hex. Minified, the pair is 4.2 KB
//! gzip smaller (2.8 KB module, 1.4 KB glue).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// The renaming `wasm-opt --minify-imports-and-exports-and-modules` prints.
#[derive(Debug, Deserialize)]
pub struct NameMap {
    /// `(module, old name, new name)`.
    imports: Vec<(String, String, String)>,
    /// `(old name, new name)`.
    exports: Vec<(String, String)>,
}

/// The one module every import comes from after minifying (binaryen's
/// `SINGLETON_MODULE_NAME`).
const MODULE: &str = "a";

impl NameMap {
    /// Reads `wasm-opt`'s printed mapping.
    pub fn from_json(json: &str) -> Result<NameMap, String> {
        serde_json::from_str(json).map_err(|e| format!("unexpected name map from wasm-opt: {e}"))
    }
}

/// Drops the JSDoc comment blocks (`/** … */` on lines of their own) that
/// wasm-bindgen writes for TypeScript users: the browser has no use for them.
pub fn strip_doc_comments(glue: &str) -> String {
    let mut out = String::with_capacity(glue.len());
    let mut in_doc = false;
    for line in glue.lines() {
        let trimmed = line.trim();
        if !in_doc && trimmed.starts_with("/**") {
            in_doc = !trimmed.ends_with("*/");
            continue;
        }
        if in_doc {
            in_doc = !trimmed.ends_with("*/");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The glue without indentation, blank lines and whole-line `//`
/// comments: 0.8 KB gzip of the list pages' glue. Lines keep their ends,
/// so no statement's meaning changes; the lines of a template literal that
/// spans lines are kept as they are.
pub fn compact(glue: &str) -> String {
    let mut out = String::with_capacity(glue.len());
    let mut in_template = false;
    for line in glue.lines() {
        let kept = if in_template { line } else { line.trim_start() };
        if !in_template && (kept.is_empty() || kept.starts_with("//")) {
            continue;
        }
        // An odd number of unescaped backticks opens or closes a template.
        let ticks = kept
            .match_indices('`')
            .filter(|(i, _)| !kept[..*i].ends_with('\\'))
            .count();
        in_template ^= ticks % 2 == 1;
        out.push_str(kept);
        out.push('\n');
    }
    out
}

/// The glue without its exported classes (and their finalizers and
/// dispose hooks), and the module exports only those classes called. A
/// class the rest of the glue still names is an error, not a page that
/// fails with a `ReferenceError`.
pub fn without_classes(glue: &str) -> Result<(String, Vec<String>), String> {
    let mut classes: Vec<&str> = glue
        .lines()
        .filter_map(|l| l.strip_prefix("export class ")?.strip_suffix(" {"))
        .collect();
    classes.sort_unstable();
    let mut out = String::with_capacity(glue.len());
    let mut lines = glue.lines();
    while let Some(line) = lines.next() {
        let class_of = |prefix: &str, suffix: &str| {
            line.strip_prefix(prefix)
                .and_then(|rest| rest.split_once(suffix))
                .is_some_and(|(name, _)| classes.binary_search(&name).is_ok())
        };
        if line.starts_with("export class ") {
            // The class body runs to the closing brace at the line's start.
            lines.by_ref().find(|l| *l == "}");
        } else if class_of("const ", "Finalization = ") {
            if !line.ends_with(';') {
                lines.by_ref().find(|l| l.ends_with(';'));
            }
        } else if !class_of("if (Symbol.dispose) ", ".prototype") {
            out.push_str(line);
            out.push('\n');
        }
    }
    for class in &classes {
        let named = out
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .any(|l| {
                l.match_indices(class).any(|(at, _)| {
                    let before = l[..at].chars().next_back();
                    let after = l[at + class.len()..].chars().next();
                    !before.is_some_and(is_name) && !after.is_some_and(is_name)
                })
            });
        if named {
            return Err(format!("the glue still uses the exported class {class}"));
        }
    }
    let kept = called_exports(&out);
    let mut dropped: Vec<String> = called_exports(glue)
        .into_iter()
        .filter(|name| !kept.contains(name))
        .collect();
    dropped.sort_unstable();
    Ok((out, dropped))
}

/// Whether `c` may be part of a JavaScript name.
fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The names the glue calls as `wasm.<name>`.
fn called_exports(glue: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    let _ = for_each_export(glue, |name| {
        names.insert(name.to_string());
        Ok(name.to_string())
    });
    names
}

/// The glue with the module's new names: each import function keyed by its
/// new name (and dropped when `wasm-opt` removed the import as unused), each
/// `wasm.<export>` by the export's new name. Anything the map does not cover
/// is an error rather than a module that fails in the browser.
pub fn rename(glue: &str, map: &NameMap) -> Result<String, String> {
    let imports: HashMap<&str, &str> = map
        .imports
        .iter()
        .map(|(_, old, new)| (old.as_str(), new.as_str()))
        .collect();
    let exports: HashMap<&str, &str> = map
        .exports
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();
    let with_imports = rename_imports(glue, &imports)?;
    let with_module = rename_module(&with_imports, &map.imports)?;
    rename_exports(&with_module, &exports)
}

/// The imports object's key: wasm-bindgen's module name, now [`MODULE`].
fn rename_module(glue: &str, imports: &[(String, String, String)]) -> Result<String, String> {
    let mut modules: Vec<&str> = imports.iter().map(|(m, _, _)| m.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    let [module] = modules[..] else {
        return Err(format!(
            "expected the imports of one module, not {modules:?}"
        ));
    };
    let key = format!("\n        \"{module}\": import0,\n");
    if glue.matches(&key).count() != 1 {
        return Err(format!(
            "the glue does not key its imports by \"{module}\" once"
        ));
    }
    Ok(glue.replacen(&key, &format!("\n        \"{MODULE}\": import0,\n"), 1))
}

/// An entry of the imports object: `        <name>: function(…`, running
/// to the next entry or to the object's end, `    };`.
const IMPORT_INDENT: &str = "        ";

fn rename_imports(glue: &str, imports: &HashMap<&str, &str>) -> Result<String, String> {
    let mut out = String::with_capacity(glue.len());
    let mut kept = HashSet::new();
    let mut defined = 0;
    // Whether the lines of the current entry are kept (true outside entries).
    let mut keeping = true;
    for line in glue.lines() {
        if let Some((name, rest)) = import_entry(line) {
            defined += 1;
            keeping = match imports.get(name) {
                Some(new) => {
                    kept.insert(name);
                    out.push_str(IMPORT_INDENT);
                    out.push_str(new);
                    out.push_str(rest);
                    out.push('\n');
                    true
                }
                None => false,
            };
            continue;
        }
        if line == "    };" {
            keeping = true;
        }
        if keeping {
            out.push_str(line);
            out.push('\n');
        }
    }
    if kept.len() != imports.len() || (imports.is_empty() && defined > 0) {
        let mut missing: Vec<&str> = imports
            .keys()
            .filter(|n| !kept.contains(*n))
            .copied()
            .collect();
        missing.sort_unstable();
        missing.truncate(3);
        return Err(format!(
            "the glue defines {} of the module's {} imports (not {})",
            kept.len(),
            imports.len(),
            missing.join(", ")
        ));
    }
    Ok(out)
}

/// `(name, the rest from ':')` of an imports-object entry.
fn import_entry(line: &str) -> Option<(&str, &str)> {
    let entry = line.strip_prefix(IMPORT_INDENT)?;
    let colon = entry.find(": function(")?;
    let name = &entry[..colon];
    (name.starts_with("__wbg") || name.starts_with("__wbindgen")).then_some((name, &entry[colon..]))
}

fn rename_exports(glue: &str, exports: &HashMap<&str, &str>) -> Result<String, String> {
    for_each_export(glue, |name| {
        exports
            .get(name)
            .map(|new| new.to_string())
            .ok_or_else(|| format!("the glue calls wasm.{name}, which the module does not export"))
    })
}

/// The glue with each `wasm.<name>` (not `x.wasm.<name>` or `my_wasm.…`)
/// replaced by `wasm.<f(name)>`.
fn for_each_export(
    glue: &str,
    mut f: impl FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    while let Some(at) = rest.find("wasm.") {
        let after = &rest[at + "wasm.".len()..];
        let starts_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(is_name(c) || c == '.'));
        out.push_str(&rest[..at + "wasm.".len()]);
        let len = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
        let name = &after[..len];
        if starts_word && !name.is_empty() {
            out.push_str(&f(name)?);
        } else {
            out.push_str(name);
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "\
export function start() {
    wasm.start();
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_remove_b28d816f9e896ff9: function(arg0) {
            arg0.remove();
        },
        __wbg_unused_0123456789abcdef: function() { return handleError(function (arg0) {
            return arg0;
        }, arguments); },
        __wbindgen_cast_0000000000000001: function(arg0, arg1) { return getStringFromWasm0(arg0, arg1); },
    };
    return {
        __proto__: null,
        \"./explorer_bg.js\": import0,
    };
}
const s = passStringToWasm0(x, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
wasm.memory.buffer; my_wasm.memory;
";

    fn map() -> NameMap {
        NameMap::from_json(
            r#"{"imports": [["./explorer_bg.js", "__wbg_remove_b28d816f9e896ff9", "a"],
                             ["./explorer_bg.js", "__wbindgen_cast_0000000000000001", "b"]],
                "exports": [["start", "c"], ["__wbindgen_malloc", "d"],
                            ["__wbindgen_realloc", "e"], ["memory", "f"]]}"#,
        )
        .unwrap()
    }

    #[test]
    fn renames_imports_and_exports_and_drops_removed_imports() {
        let renamed = rename(GLUE, &map()).unwrap();
        assert_eq!(
            renamed,
            "\
export function start() {
    wasm.c();
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        a: function(arg0) {
            arg0.remove();
        },
        b: function(arg0, arg1) { return getStringFromWasm0(arg0, arg1); },
    };
    return {
        __proto__: null,
        \"a\": import0,
    };
}
const s = passStringToWasm0(x, wasm.d, wasm.e);
wasm.f.buffer; my_wasm.memory;
"
        );
    }

    #[test]
    fn a_name_the_map_lacks_is_an_error() {
        let mut map = map();
        map.exports.retain(|(old, _)| old != "memory");
        assert_eq!(
            rename(GLUE, &map).unwrap_err(),
            "the glue calls wasm.memory, which the module does not export"
        );
        let mut map = self::map();
        map.imports
            .push(("./explorer_bg.js".into(), "__wbg_gone".into(), "z".into()));
        assert_eq!(
            rename(GLUE, &map).unwrap_err(),
            "the glue defines 2 of the module's 3 imports (not __wbg_gone)"
        );
    }

    #[test]
    fn drops_exported_classes_and_says_which_exports_they_alone_called() {
        let glue = "\
export class Source {
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_source_free(ptr, 0);
    }
    pull(controller) {
        return wasm.source_pull(this.__wbg_ptr, controller);
    }
}
if (Symbol.dispose) Source.prototype[Symbol.dispose] = Source.prototype.free;

export function start() {
    wasm.start();
}
const SourceFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_source_free(ptr, 1));
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(state => wasm.__wbindgen_destroy_closure(state.a, state.b));
";
        let (kept, dropped) = without_classes(glue).unwrap();
        assert_eq!(
            kept,
            "\n\
export function start() {
    wasm.start();
}
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(state => wasm.__wbindgen_destroy_closure(state.a, state.b));
"
        );
        assert_eq!(dropped, ["__wbg_source_free", "source_pull"]);
    }

    #[test]
    fn a_dropped_class_the_glue_still_uses_is_an_error() {
        let glue = "export class Source {\n    free() {}\n}\nfunction f(x) { return x instanceof Source; }\n// Source in a comment\nconst SourceMap = 1;\n";
        assert_eq!(
            without_classes(glue).unwrap_err(),
            "the glue still uses the exported class Source"
        );
        let fine = "export class Source {\n    free() {}\n}\n// Source in a comment\nconst SourceMap = 1;\n";
        assert!(without_classes(fine).is_ok());
    }

    #[test]
    fn compacts_lines_but_not_a_template_that_spans_lines() {
        let glue = "function f(val) {\n    // a comment\n\n    return `${val}\n  // kept\n\n   ` + 'x';\n}\n    const s = `one line`;\n";
        assert_eq!(
            compact(glue),
            "function f(val) {\nreturn `${val}\n  // kept\n\n   ` + 'x';\n}\nconst s = `one line`;\n"
        );
    }

    #[test]
    fn strips_only_doc_comment_lines() {
        let glue = "export class A {\n    /**\n     * @returns {number}\n     */\n    get x() { return 2 * 3; }\n}\n";
        assert_eq!(
            strip_doc_comments(glue),
            "export class A {\n    get x() { return 2 * 3; }\n}\n"
        );
    }
}
