//! Pre-compressed twins: `<file>.gz` and `<file>.br` beside the files hosts
//! should send compressed (see [`portal_content::routes::precompressed`]), the same
//! bytes for the same file (no time stamp or name in the headers).

/// A content encoding the build writes twins in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// gzip (`.gz`): every browser, `gzip_static` in nginx.
    Gzip,
    /// Brotli (`.br`): smaller; `brotli_static`, or the host's own rules.
    Brotli,
}

impl Encoding {
    /// Every encoding twins are written in.
    pub const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// The twin's file name ending.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    /// `bytes` in this encoding, at settings that cost little time: the
    /// index, feeds and sitemaps are thousands of files at scale, rewritten
    /// as content changes. gzip level 6 (1 above a megabyte), Brotli
    /// quality 5 (as good as gzip -9, many times faster than Brotli's best).
    pub fn encode(self, bytes: &[u8]) -> Vec<u8> {
        self.encode_with(bytes, false)
    }

    /// `bytes` in this encoding at the strongest settings, for the
    /// explorer's bundle (made once per bundle, fetched by every reader):
    /// gzip by Zopfli (about 5% smaller than gzip -9, and still plain gzip
    /// to every browser), Brotli quality 11.
    pub fn encode_best(self, bytes: &[u8]) -> Vec<u8> {
        self.encode_with(bytes, true)
    }

    fn encode_with(self, bytes: &[u8], best: bool) -> Vec<u8> {
        use std::io::Write;
        let large = bytes.len() > 1 << 20 && !best;
        match self {
            Encoding::Gzip if best => {
                let mut out = Vec::with_capacity(bytes.len() / 3);
                zopfli::compress(
                    zopfli::Options::default(),
                    zopfli::Format::Gzip,
                    bytes,
                    &mut out,
                )
                .expect("writing to memory");
                out
            }
            Encoding::Gzip => {
                let level = if large {
                    flate2::Compression::fast()
                } else {
                    flate2::Compression::default()
                };
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), level);
                encoder.write_all(bytes).expect("writing to memory");
                encoder.finish().expect("writing to memory")
            }
            Encoding::Brotli => {
                let quality = if best { 11 } else { 5 };
                let mut out = Vec::with_capacity(bytes.len() / 4);
                {
                    let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
                    writer.write_all(bytes).expect("writing to memory");
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_decode_to_the_file_and_are_reproducible() {
        use std::io::Read;
        let text = "「薬事承認」{\"version\":1}\n".repeat(500);
        for (encoding, best) in Encoding::ALL
            .into_iter()
            .flat_map(|e| [(e, false), (e, true)])
        {
            let once = encoding.encode_with(text.as_bytes(), best);
            assert_eq!(
                once,
                encoding.encode_with(text.as_bytes(), best),
                "{encoding:?}"
            );
            assert!(once.len() < text.len() / 4, "{encoding:?} compresses");
            let mut back = String::new();
            match encoding {
                Encoding::Gzip => {
                    flate2::read::GzDecoder::new(&once[..])
                        .read_to_string(&mut back)
                        .unwrap();
                }
                Encoding::Brotli => {
                    brotli::Decompressor::new(&once[..], 4096)
                        .read_to_string(&mut back)
                        .unwrap();
                }
            }
            assert_eq!(back, text);
        }
    }
}
