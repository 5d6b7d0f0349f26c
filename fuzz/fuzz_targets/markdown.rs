//! Arbitrary UTF-8 as a record body through `portal::markdown::to_html`
//! (pulldown-cmark, heading shift, link rewrite, ammonia). It must not
//! panic, and the HTML must not be able to run script: no `<script`, no
//! `on…=` event-handler attribute, no `javascript:` URL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = portal::markdown::to_html(text, 2, |_| None);
    portal_fuzz::assert_html_is_inert(text, &html);
});
