//! Pre-compressed twins: `<file>.gz` and `<file>.br` beside the files hosts
//! should send compressed (see [`crate::routes::precompressed`]), the same
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

    /// `bytes` in this encoding. Files of megabytes (sitemaps at scale)
    /// get faster settings: a build should not spend its time squeezing
    /// the last tenth out of them.
    pub fn encode(self, bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let large = bytes.len() > 1 << 20;
        match self {
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
                let quality = if large { 5 } else { 9 };
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
        for encoding in Encoding::ALL {
            let once = encoding.encode(text.as_bytes());
            assert_eq!(once, encoding.encode(text.as_bytes()), "{encoding:?}");
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
