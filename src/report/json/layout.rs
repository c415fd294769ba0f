//! The report file's layout: serde_json's pretty printing, with arrays of numbers on one line.

/// serde_json's pretty layout (two spaces of indent), except that an array of numbers takes
/// one line, `[1, 2, 3]`, where the pretty layout gives every number a line of its own: a
/// timeline stays one line per direction, for people reading the file and for its size.
/// Whether an array is one of numbers is known at its first item: the separator before an
/// item waits until the item shows what it is.
#[derive(Default)]
pub(super) struct Layout {
    /// What is open, innermost last.
    open: Vec<Open>,
    /// The separator before an array's next item, waiting for the item: whether it is the
    /// first.
    waiting: Option<bool>,
}

#[derive(Clone, Copy, PartialEq)]
enum Open {
    Object {
        empty: bool,
    },
    /// An array: no item yet, numbers so far, or others.
    Array(Items),
}

#[derive(Clone, Copy, PartialEq)]
enum Items {
    None,
    Numbers,
    Others,
}

impl Layout {
    fn new_line<W: ?Sized + std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b"\n")?;
        (0..self.open.len()).try_for_each(|_| out.write_all(b"  "))
    }

    /// Before a value: writes the separator waiting for it, on the same line for a number in
    /// an array of numbers.
    fn value<W: ?Sized + std::io::Write>(&mut self, out: &mut W, number: bool) -> std::io::Result<()> {
        let Some(first) = self.waiting.take() else { return Ok(()) };
        let Some(Open::Array(items)) = self.open.last_mut() else { return Ok(()) };
        if number && *items != Items::Others {
            *items = Items::Numbers;
            return if first { Ok(()) } else { out.write_all(b", ") };
        }
        *items = Items::Others;
        out.write_all(if first { b"" } else { b"," })?;
        self.new_line(out)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        let open = self.open.pop();
        if matches!(open, Some(Open::Object { empty: false } | Open::Array(Items::Others))) {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }
}

/// Number writers: each says it writes a number, then writes it as serde_json does.
macro_rules! numbers {
    ($($name:ident: $type:ty),*) => {$(
        fn $name<W: ?Sized + std::io::Write>(&mut self, out: &mut W, value: $type) -> std::io::Result<()> {
            self.value(out, true)?;
            serde_json::ser::CompactFormatter.$name(out, value)
        }
    )*};
}

impl serde_json::ser::Formatter for Layout {
    numbers!(write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128, write_u8: u8,
        write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128, write_f32: f32, write_f64: f64,
        write_number_str: &str);

    fn write_null<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.value(out, false)?;
        out.write_all(b"null")
    }

    fn write_bool<W: ?Sized + std::io::Write>(&mut self, out: &mut W, value: bool) -> std::io::Result<()> {
        self.value(out, false)?;
        out.write_all(if value { b"true" } else { b"false" })
    }

    fn begin_string<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.value(out, false)?;
        out.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.value(out, false)?;
        self.open.push(Open::Array(Items::None));
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, _out: &mut W, first: bool) -> std::io::Result<()> {
        self.waiting = Some(first);
        Ok(())
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.value(out, false)?;
        self.open.push(Open::Object { empty: true });
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        if let Some(Open::Object { empty }) = self.open.last_mut() {
            *empty = false;
        }
        out.write_all(if first { b"" } else { b"," })?;
        self.new_line(out)
    }

    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        Ok(())
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn laid_out(value: &serde_json::Value) -> String {
        let mut out = Vec::new();
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Layout::default())).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn arrays_of_numbers_take_one_line_and_nothing_else_changes() {
        let value = serde_json::json!({
            "packets": [0, 3, 1.5, -2],
            "empty": [],
            "names": ["a[", "b"],
            "nested": [[1, 2], {"x": [7]}],
            "text": "[\n1\n]"
        });
        let compact = laid_out(&value);
        assert!(compact.contains(r#""packets": [0, 3, 1.5, -2]"#), "{compact}");
        assert!(compact.contains("\"nested\": [\n    [1, 2],\n    {\n      \"x\": [7]\n    }\n  ]"), "{compact}");
        assert!(compact.contains("\"names\": [\n    \"a[\",\n    \"b\"\n  ]"), "{compact}");
        assert!(compact.contains("\"empty\": [],"), "{compact}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&compact).unwrap(), value);
        // Everything but the arrays of numbers is laid out as serde_json's pretty printer does.
        let pretty =
            serde_json::to_string_pretty(&serde_json::json!({ "a": {"b": [{}, [], {"c": null}]}, "d": true })).unwrap();
        assert_eq!(laid_out(&serde_json::from_str(&pretty).unwrap()), pretty);
    }
}
