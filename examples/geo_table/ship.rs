//! Writes the table as the site ships it (`table.packed.br`, see `phonehome::geo::packed`):
//! its packed form, brotli-compressed at the strongest setting, and checks that it decodes to
//! the table.

use std::io::Write;

use phonehome::geo::packed;

/// Brotli quality 11 with a window as large as the table allows (16 MiB, the largest standard
/// brotli window): what `brotli -q 11 -w 24` does.
const QUALITY: u32 = 11;
const WINDOW_LOG: u32 = 24;

/// The shipped file's bytes for `table`.
pub fn shipped(table: &[u8]) -> Result<Vec<u8>, String> {
    let packed = packed::pack(table).map_err(|e| e.to_string())?;
    let failed = |e: std::io::Error| format!("brotli: {e}");
    let mut shipped = Vec::new();
    {
        let mut encoder = brotli::CompressorWriter::new(&mut shipped, 1 << 16, QUALITY, WINDOW_LOG);
        encoder.write_all(&packed).map_err(failed)?;
        encoder.flush().map_err(failed)?;
    }
    // The table's own checksum (table.xxh3) is checked after unpacking, so the stream needs
    // none of its own.

    let decoded = packed::decompress(&shipped).map_err(|e| e.to_string())?;
    let mut unpacked = vec![0; decoded.len()];
    packed::unpack(&decoded, &mut unpacked).map_err(|e| e.to_string())?;
    if unpacked != table {
        return Err("the shipped table does not decode to the table".into());
    }
    Ok(shipped)
}
