//! Writes the table as the site ships it (`table.packed.zst`, see `phonehome::geo::packed`):
//! its packed form, zstd-compressed at the strongest setting ruzstd reads quickly, and checks
//! that it decodes to the table.

use std::io::Write;

use phonehome::geo::packed;

/// zstd level 19 with a window as large as the table (16 MiB) and long-distance matching:
/// what `zstd -19 --long=24` does. Levels 20 to 22 save under 0.2% more here.
const LEVEL: i32 = 19;
const WINDOW_LOG: u32 = 24;

/// The shipped file's bytes for `table`.
pub fn shipped(table: &[u8]) -> Result<Vec<u8>, String> {
    let packed = packed::pack(table).map_err(|e| e.to_string())?;
    let failed = |e: std::io::Error| format!("zstd: {e}");
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), LEVEL).map_err(failed)?;
    encoder.window_log(WINDOW_LOG).map_err(failed)?;
    encoder.long_distance_matching(true).map_err(failed)?;
    // The decoder sizes its output from the frame's content size.
    encoder.include_contentsize(true).map_err(failed)?;
    encoder.set_pledged_src_size(Some(packed.len() as u64)).map_err(failed)?;
    // The table's own checksum (table.xxh3) is checked after unpacking: zstd's would be a
    // second one over the same bytes.
    encoder.include_checksum(false).map_err(failed)?;
    encoder.write_all(&packed).map_err(failed)?;
    let shipped = encoder.finish().map_err(failed)?;

    let decoded = packed::decompress(&shipped).map_err(|e| e.to_string())?;
    let mut unpacked = vec![0; decoded.len()];
    packed::unpack(&decoded, &mut unpacked).map_err(|e| e.to_string())?;
    if unpacked != table {
        return Err("the shipped table does not decode to the table".into());
    }
    Ok(shipped)
}
