//! 群众随手拍 (issue 24 item 1): what the public may file, what the tracking page shows (the
//! public timeline lines only: no staff names, no internal notes), and the reporter's own 回访,
//! guarded by the last 4 digits of the phone they gave, locked after 5 wrong tries.

use crate::kernel::validation::Invalid;

/// The actor's name in the audit log and the timeline for a report from the public.
pub const PUBLIC_REPORTER: &str = "群众";
/// Wrong phone checks allowed per tracking code before the 回访 is locked.
pub const MAX_TRIES: i64 = 5;
pub const LOCKED: &str = "手机号验证错误次数过多，回访已锁定，请拨打 12345 热线反映";
pub const NOT_ANSWERED: &str = "该事件尚未答复，暂不能回访";

/// The public wording of a status: the steps inside the duty room read as one.
pub fn public_status_label(status: &str) -> &'static str {
    match status {
        "pending_dispatch" | "dispatched" => "已受理，正在分拨",
        "accepted" => "处置中",
        "handled" => "已处置，待答复",
        "answered" => "已答复，请您回访评价",
        "closed" => "已办结",
        "merged" => "已合并办理",
        _ => "",
    }
}

/// The reporter's phone check for the 回访: none needed when no phone was given; otherwise
/// the phone's last 4 digits. `tries` is the number of wrong tries so far.
pub fn check_phone_tail(
    stored_phone: Option<&str>,
    given: Option<&str>,
    tries: i64,
) -> Result<(), PhoneCheck> {
    let Some(phone) = stored_phone.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    if tries >= MAX_TRIES {
        return Err(PhoneCheck::Locked);
    }
    let given = given.map(str::trim).unwrap_or_default();
    if given.is_empty() {
        return Err(PhoneCheck::Missing);
    }
    let tail: String = phone
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if given == tail {
        Ok(())
    } else {
        Err(PhoneCheck::Wrong)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneCheck {
    Missing,
    Wrong,
    Locked,
}

impl PhoneCheck {
    /// The message, naming the field, with the tries left after this one.
    pub fn message(self, tries_after: i64) -> Invalid {
        match self {
            Self::Missing => Invalid::one("phone_tail", "请输入举报时所留手机号的后 4 位"),
            Self::Wrong => {
                let left = (MAX_TRIES - tries_after).max(0);
                if left == 0 {
                    Invalid::one("phone_tail", LOCKED)
                } else {
                    Invalid::one(
                        "phone_tail",
                        format!("手机号后 4 位不正确，还可尝试 {left} 次"),
                    )
                }
            }
            Self::Locked => Invalid::one("phone_tail", LOCKED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_tail() {
        assert_eq!(check_phone_tail(None, None, 0), Ok(()));
        assert_eq!(
            check_phone_tail(Some("13812345678"), Some("5678"), 0),
            Ok(())
        );
        assert_eq!(
            check_phone_tail(Some("13812345678"), Some("1234"), 0),
            Err(PhoneCheck::Wrong)
        );
        assert_eq!(
            check_phone_tail(Some("13812345678"), None, 0),
            Err(PhoneCheck::Missing)
        );
        assert_eq!(
            check_phone_tail(Some("13812345678"), Some("5678"), MAX_TRIES),
            Err(PhoneCheck::Locked)
        );
        assert!(PhoneCheck::Wrong.message(2).summary().contains("3 次"));
    }

    #[test]
    fn labels() {
        assert_eq!(public_status_label("dispatched"), "已受理，正在分拨");
        assert_eq!(public_status_label("closed"), "已办结");
    }
}
