//! Declared inputs: what each output reads, stated once, next to the
//! function that reads it. The rules of incrementality live here.
//!
//! Every output family implements [`Family`]. Its `inputs` borrows from
//! the [`Context`] exactly what one output reads, as one value; the hash of
//! that value is the output's fingerprint ([`Job::of`]); and its `render`
//! makes the output from that value alone. A render function never sees
//! the context, so reading something new means adding it to the family's
//! `Inputs`, which puts it in the fingerprint: a forgotten input does not
//! compile, where before it was a stale page.
//!
//! Large values enter inputs through views that carry a fingerprint
//! computed once of exactly what they let a renderer read
//! ([`super::views`]): `Printed` for a whole value (a record, a
//! collection's published data), and the narrower views of a collection
//! (its shape for filtering, its description, a set of its rows). What
//! every output reads (settings, taxonomies, assets, the generator) is
//! [`super::shared::Shared`].
//!
//! Three rules follow:
//! 1. an output's bytes depend only on its family's `Inputs`;
//! 2. a view's fingerprint covers everything its methods return;
//! 3. a family's `NAME` is its own, so two families never share a print.
//!
//! The compiler keeps the first as long as `Inputs` holds no context; the
//! incremental tests check the first two by comparing every build and
//! preview save with a fresh build; a unit test in `plan.rs` checks the
//! third.

use std::hash::Hash;

use portal_content::error::BuildError;
use portal_output::fingerprint::{Fingerprint, Fingerprinter};

use super::context::Context;
use super::job::{Job, Output};
use super::rendered::Rendered;

/// A family of outputs: what one of them reads, and how it is made from
/// only that.
pub trait Family {
    /// The family's name, part of each of its outputs' fingerprints.
    const NAME: &'static str;
    /// Which output of the family (a record and a language, a list page…).
    type Key: Clone + std::fmt::Debug + Send + Sync;
    /// Everything one output reads, borrowed from the context.
    type Inputs<'c>: Hash;
    /// The inputs of the output `key`.
    fn inputs<'c>(ctx: &'c Context<'_>, key: &Self::Key) -> Self::Inputs<'c>;
    /// The output, made from its inputs alone.
    fn render(inputs: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError>;
}

impl Job {
    /// The job of `F`'s output `key` at `path`, its fingerprint the hash
    /// of its declared inputs.
    pub fn of<F: FamilyOutput>(ctx: &Context<'_>, path: String, key: F::Key) -> Job {
        Job {
            fingerprint: fingerprint::<F>(&F::inputs(ctx, &key)),
            path,
            output: F::wrap(key),
        }
    }
}

/// The fingerprint of an output of `F` with `inputs`.
pub fn fingerprint<F: Family>(inputs: &F::Inputs<'_>) -> Fingerprint {
    Fingerprinter::new().with(F::NAME).with(inputs).finish128()
}

/// Renders `F`'s output `key`: its inputs, then the output from them.
pub fn make<'c, F: Family>(ctx: &'c Context<'_>, key: &F::Key) -> Result<Rendered<'c>, BuildError> {
    F::render(F::inputs(ctx, key))
}

/// A page or file made as text.
pub fn text<'c>(text: String) -> Result<Rendered<'c>, BuildError> {
    Ok(Rendered::Bytes(text.into_bytes()))
}

/// How a family's key becomes an [`Output`] (implemented for every family
/// in `plan.rs`, the one place variants are tied to families).
pub trait FamilyOutput: Family {
    /// The output of `key`.
    fn wrap(key: Self::Key) -> Output;
}
