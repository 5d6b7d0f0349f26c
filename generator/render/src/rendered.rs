//! What rendering an output gives: its bytes, or its parts streamed.

/// What rendering an output gives.
pub enum Rendered<'c> {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Its parts, emitted in order each time it is asked: a large
    /// open-data file, put together from rows, is hashed and written
    /// without ever being held whole.
    Streamed(Box<portal_output::write::Emit<'c>>),
}

impl Rendered<'_> {
    /// Its bytes, whole.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Rendered::Bytes(bytes) => bytes,
            Rendered::Streamed(emit) => {
                let mut bytes = Vec::new();
                emit(&mut |part| bytes.extend_from_slice(part));
                bytes
            }
        }
    }
}
