//! 结果网上评: what of an issue the public may read. The reporter stays unknown: no name, no phone, no exact place —
//! and the numbers people type into descriptions and replies (a phone, an ID card) are masked before they leave.

crate::bounded_text!(
    /// Why staff withhold an issue from the public results (a minor's details, a matter before the courts).
    WithholdReason,
    "reason",
    2,
    2000
);

/// The fewest digits in a run that is masked: phone numbers (landlines have 7 or 8), ID and bank card numbers.
const MASKED_RUN: usize = 7;

/// `text` fit for the public: every run of seven or more digits (spaces and hyphens between digits do not break a
/// run) keeps its first three and last two digits and shows `*` for the rest, and each of `known` (the reporter's
/// name and phone) is replaced by as many `*` as it has characters.
#[must_use]
pub fn mask(text: &str, known: &[&str]) -> String {
    let mut out = text.to_owned();
    for k in known.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        out = out.replace(k, &"*".repeat(k.chars().count()));
    }
    mask_digit_runs(&out)
}

fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits, with single spaces or hyphens between them.
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                end = j + 1;
                j += 1;
            } else if matches!(chars[j], ' ' | '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let run = &chars[i..end];
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        if digits < MASKED_RUN || is_date(run) {
            out.extend(run);
        } else {
            let mut seen = 0;
            for c in run {
                if c.is_ascii_digit() {
                    seen += 1;
                    out.push(if seen <= 3 || seen > digits - 2 { *c } else { '*' });
                } else {
                    out.push(*c);
                }
            }
        }
        i = end;
    }
    out
}

/// 2026-11-25 and 2026 11 25 are days, not numbers to hide.
fn is_date(run: &[char]) -> bool {
    let groups: Vec<usize> = run.split(|c| !c.is_ascii_digit()).map(<[char]>::len).collect();
    matches!(groups.as_slice(), [4, m, d] if (1..=2).contains(m) && (1..=2).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_ids_are_masked_and_small_numbers_kept() {
        assert_eq!(
            mask("路灯坏了3天，联系13812345678或138-1234-5678", &[]),
            "路灯坏了3天，联系138******78或138-****-**78"
        );
        assert_eq!(mask("座机 0574-62345678", &[]), "座机 057*-******78");
        assert_eq!(mask("身份证330281199001011234", &[]), "身份证330*************34");
        assert_eq!(mask("2026年11月25日 10号楼 305室", &[]), "2026年11月25日 10号楼 305室");
        assert_eq!(mask("从2026-11-25起", &[]), "从2026-11-25起");
        assert_eq!(mask("我是张三丰，住在这里", &["张三丰", ""]), "我是***，住在这里");
    }
}
