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
//! computed once of exactly what they let a renderer read: [`Printed`]
//! for a whole value (a record, a collection's published data), and the
//! narrower views of a collection in [`super::views`] (its shape for
//! filtering, its description, a set of its rows). What every output
//! reads (settings, taxonomies, assets, the generator) is [`Shared`].
//!
//! Three rules follow, and the incremental tests check them by comparing
//! every build and preview save with a fresh build:
//! 1. an output's bytes depend only on its family's `Inputs`;
//! 2. a view's fingerprint covers everything its methods return;
//! 3. a family's `NAME` is unique, so two outputs never share a print.

use std::hash::{Hash, Hasher};
use std::ops::Deref;

use amed_model::{Library, Site, Taxonomies};
use portal_content::error::BuildError;
use portal_content::routes;
use portal_output::fingerprint::{Fingerprint, Fingerprinter, generator_identity};

use super::chrome::{FOOTER_PAGES, NAV_PAGES};
use super::{Assets, Context, Job, Output, Rendered, templates};

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

/// Declares [`Output`], one variant per family holding that family's key,
/// and its dispatch: the one place a job's output is tied to its family,
/// for its fingerprint and its rendering alike.
macro_rules! outputs {
    ($($(#[$doc:meta])* $variant:ident => $family:ty,)*) => {
        /// What a job renders: a family and the key of one of its outputs.
        #[derive(Debug, Clone)]
        pub enum Output {
            $($(#[$doc])* $variant(<$family as $crate::inputs::Family>::Key),)*
        }

        impl Output {
            /// Renders this output from its declared inputs.
            pub fn render<'c>(
                &self,
                ctx: &'c $crate::Context<'_>,
            ) -> Result<$crate::Rendered<'c>, portal_content::error::BuildError> {
                match self {
                    $(Output::$variant(key) => $crate::inputs::make::<$family>(ctx, key),)*
                }
            }
        }

        $(
            impl $crate::inputs::FamilyOutput for $family {
                fn wrap(key: <$family as $crate::inputs::Family>::Key) -> Output {
                    Output::$variant(key)
                }
            }
        )*
    };
}
pub(crate) use outputs;

/// How a family's key becomes an [`Output`] (implemented by [`outputs!`]).
pub trait FamilyOutput: Family {
    /// The output of `key`.
    fn wrap(key: Self::Key) -> Output;
}

/// A borrowed value with a fingerprint of it computed once: hashing the
/// view hashes the fingerprint, not the value.
pub struct Printed<'c, T: ?Sized> {
    value: &'c T,
    print: Fingerprint,
}

impl<'c, T: ?Sized> Printed<'c, T> {
    /// `value` with `print`, which must be a fingerprint of all of it.
    pub(crate) fn new(value: &'c T, print: Fingerprint) -> Self {
        Printed { value, print }
    }

    /// The value, for the lifetime of the context.
    pub fn get(&self) -> &'c T {
        self.value
    }
}

impl<T: ?Sized> Clone for Printed<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Printed<'_, T> {}

impl<T: ?Sized> Deref for Printed<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T: ?Sized> Hash for Printed<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

/// What every output reads: the generator, the templates and UI words,
/// the site's settings, the taxonomies, the built assets and which of the
/// pages the navigation and footer link to exist. Its fingerprint is
/// computed once per build.
pub struct Shared<'c> {
    /// The site's settings.
    pub settings: &'c Site,
    /// The taxonomies.
    pub taxonomies: &'c Taxonomies,
    /// Where the site is deployed: every link and URL.
    pub site: routes::Site,
    /// Built assets.
    pub assets: &'c Assets,
    /// Which of [`NAV_PAGES`] and [`FOOTER_PAGES`] the content has.
    pages: Vec<(&'static str, bool)>,
    print: Fingerprint,
}

impl<'c> Shared<'c> {
    /// What every output of `lib`'s site with `assets` reads.
    pub fn new(lib: &'c Library, assets: &'c Assets) -> Self {
        let pages: Vec<(&'static str, bool)> = NAV_PAGES
            .iter()
            .chain(&FOOTER_PAGES)
            .map(|&(id, _)| (id, lib.pages.iter().any(|p| p.doc.id == id)))
            .collect();
        let present: Vec<bool> = pages.iter().map(|(_, p)| *p).collect();
        let print = Fingerprinter::new()
            .with(&generator_identity())
            .with(&templates::SOURCES)
            .with(&lib.site)
            .with(&lib.taxonomies)
            .with(assets)
            .with(&present)
            .finish128();
        Shared {
            settings: &lib.site,
            taxonomies: &lib.taxonomies,
            site: routes::Site::new(&lib.site),
            assets,
            pages,
            print,
        }
    }

    /// Whether the free page `id`, one the navigation or footer links to,
    /// exists.
    pub fn has_page(&self, id: &str) -> bool {
        match self.pages.iter().find(|(page, _)| *page == id) {
            Some((_, present)) => *present,
            None => panic!("{id:?} is not a page every output knows of: declare it as an input"),
        }
    }

    /// The fingerprint of all of it.
    pub fn print(&self) -> Fingerprint {
        self.print
    }
}

impl Hash for Shared<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}
