//! What the handlers' documents share (no route of their own): a line of Markdown that no typed name can turn into
//! markup, and a CSV row (RFC 4180) whose fields a spreadsheet never runs as formulas — the 民情专报 and the year
//! report of livelihood projects write through these.

/// Text on one line, with Markdown's emphasis and link characters escaped.
#[must_use]
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\r' | '\n' => out.push(' '),
            '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '|' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// A table cell: one line, pipes escaped.
#[must_use]
pub fn cell(text: &str) -> String {
    line(text)
}

/// One CSV row of `fields`, CRLF-ended.
pub fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let mut first = true;
    for f in fields {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&field(&f));
    }
    out.push_str("\r\n");
}

/// What a spreadsheet may read as the start of a formula: =, +, -, @ (and their full-width forms, which Chinese input
/// methods type and WPS reads), and a tab or carriage return before one (OWASP's CSV injection list).
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// A field, quoted when it holds a comma, quote or line break; and a leading formula character made inert, so a
/// spreadsheet never runs a reporter's text as a formula.
fn field(raw: &str) -> String {
    let text = if raw.starts_with(FORMULA_STARTS) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_inert() {
        assert_eq!(field("路灯不亮"), "路灯不亮");
        assert_eq!(field("一,二"), "\"一,二\"");
        assert_eq!(field("他说\"修\"\n好"), "\"他说\"\"修\"\"\n好\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("\t=1+1"), "'\t=1+1");
        assert_eq!(field("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(field("＝1+1"), "'＝1+1");
    }

    #[test]
    fn a_name_cannot_become_markup() {
        let name = "<img src=x onerror=alert(1)>村";
        assert_eq!(line(name), "\\<img src=x onerror=alert(1)\\>村");
    }

    #[test]
    fn text_cannot_break_the_document() {
        assert_eq!(line("路灯*坏了*\n| 表格 |"), "路灯\\*坏了\\* \\| 表格 \\|");
    }
}
