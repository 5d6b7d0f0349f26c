//! The explorer the `portal` binary carries is what the explorer's sources
//! give: built from a fresh compile, every file is byte-identical, and the
//! carried bundle is recorded as made from the sources in this checkout.
//! (When this fails after a change to the explorer: run
//! `./scripts/update-explorer.sh` and commit what it changed.)

use portal::bundle::{ExplorerSource, carried, sources_hash};
use portal_e2e::root;

#[test]
fn the_carried_explorer_is_byte_identical_to_a_fresh_compile() {
    let carried = carried().expect("the portal binary carries an explorer");
    let recorded = std::fs::read_to_string(root().join("generator/bundle/carried/sources"))
        .expect("the carried explorer records its sources");
    assert_eq!(
        recorded.trim(),
        sources_hash(&root()),
        "the explorer's sources changed since the carried bundle was made: run ./scripts/update-explorer.sh"
    );
    let fresh = portal::bundle::build(&ExplorerSource {
        workspace: root(),
        fresh: true,
    })
    .expect("the explorer compiles");
    let names = |b: &portal::bundle::ExplorerBundle| -> Vec<String> {
        b.files.iter().map(|f| f.path.clone()).collect()
    };
    assert_eq!(names(&carried), names(&fresh));
    for (a, b) in carried.files.iter().zip(&fresh.files) {
        assert!(
            a.bytes == b.bytes,
            "{} differs from a fresh compile",
            a.path
        );
    }
}
