//! Embeds the carried explorer (`carried/`: the bundle's files, their list
//! and the hash of the sources they were made from) in the crate, so the
//! `portal` binary serves the explorer without compiling it.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let carried = Path::new(&manifest).join("carried");
    println!("cargo:rerun-if-changed={}", carried.display());
    let read = |name: &str| std::fs::read_to_string(carried.join(name)).unwrap_or_default();
    let (list, sources) = (read("files"), read("sources"));
    let mut code = String::new();
    writeln!(
        code,
        "/// The list of the carried bundle (as the cache writes it)."
    )
    .unwrap();
    writeln!(code, "pub const LIST: &str = {list:?};").unwrap();
    writeln!(
        code,
        "/// The hash of the sources the carried bundle was made from."
    )
    .unwrap();
    writeln!(code, "pub const SOURCES: &str = {:?};", sources.trim()).unwrap();
    writeln!(
        code,
        "/// Each carried file: its name under `data/` and its bytes."
    )
    .unwrap();
    writeln!(code, "pub const DATA: &[(&str, &[u8])] = &[").unwrap();
    let mut names: Vec<String> = std::fs::read_dir(carried.join("data"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in names {
        let path = carried.join("data").join(&name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
    let out = Path::new(&std::env::var("OUT_DIR").expect("set by cargo")).join("carried.rs");
    std::fs::write(out, code).expect("write carried.rs");
}
