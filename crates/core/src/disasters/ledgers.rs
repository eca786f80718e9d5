//! 台账 of a process (disasters.md §1): the 因灾死亡失踪人口台账 (name, sex, age, ID number checked
//! by its GB 11643 check digit, address, cause, date) and the 因灾倒塌损坏住房户台账 (household head,
//! address, township, rooms, degree).

use crate::disasters::processes::{TOWNSHIP_OUTSIDE_SCOPE, covers};
use crate::kernel::validation::{Errors, Invalid, required_text};

/// GB 11643-1999: 17 digits and a check character (0–9 or X) from ISO 7064 MOD 11-2.
pub fn check_id_number(raw: &str) -> Result<String, String> {
    let s = raw.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err("公民身份号码应为18位（前17位为数字，末位为数字或X）".into());
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let want = b"10X98765432"[(sum % 11) as usize];
    if b[17] != want {
        return Err(format!("公民身份号码“{s}”校验位不正确"));
    }
    Ok(s)
}

/// 3604**********1234: the first four and the last four shown.
pub fn mask_id_number(s: &str) -> String {
    if s.len() < 8 || !s.is_ascii() {
        return "*".repeat(s.chars().count());
    }
    format!(
        "{}{}{}",
        &s[..4],
        "*".repeat(s.len() - 8),
        &s[s.len() - 4..]
    )
}

pub const PERSON_STATUS: &[(&str, &str)] = &[("dead", "死亡"), ("missing", "失踪")];
pub const HOUSE_DEGREES: &[(&str, &str)] = &[
    ("collapsed", "倒塌"),
    ("severe", "严重损坏"),
    ("damaged", "一般损坏"),
];

pub fn label(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter().find(|x| x.0 == code).map_or("", |x| x.1)
}

#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub township: String,
    pub name: String,
    /// 男 / 女
    pub sex: String,
    pub age: i64,
    pub id_number: String,
    pub address: String,
    /// dead / missing
    pub status: String,
    pub cause: String,
    /// YYYY-MM-DD
    pub day: String,
}

#[derive(Debug, Clone, Default)]
pub struct HouseInput {
    pub township: String,
    pub head: String,
    pub address: String,
    pub rooms: i64,
    /// collapsed / severe / damaged
    pub degree: String,
}

fn township(errs: &mut Errors, code: &str, affected: &[(String, String)], prefix: Option<&str>) {
    match affected.iter().find(|t| t.0 == code.trim()) {
        None => errs.add(
            "township",
            format!("乡镇（街道）“{code}”不在该灾害过程的受灾乡镇（街道）中"),
        ),
        Some(t) if !covers(prefix, &t.0) => {
            errs.add("township", format!("{}：{TOWNSHIP_OUTSIDE_SCOPE}", t.1))
        }
        Some(_) => {}
    }
}

/// A person of the 死亡失踪人口台账; the day not after `today`.
pub fn check_person(
    p: &PersonInput,
    affected: &[(String, String)],
    prefix: Option<&str>,
    today: jiff::civil::Date,
) -> Result<PersonInput, Invalid> {
    let mut errs = Errors::default();
    township(&mut errs, &p.township, affected, prefix);
    let name = errs.check("name", required_text("姓名", &p.name, 50));
    if !matches!(p.sex.trim(), "男" | "女") {
        errs.add("sex", "性别应为“男”或“女”");
    }
    if !(0..=150).contains(&p.age) {
        errs.add("age", "年龄应为 0 至 150 的整数");
    }
    let id = errs.check("id_number", check_id_number(&p.id_number));
    let address = errs.check("address", required_text("住址", &p.address, 200));
    if label(PERSON_STATUS, &p.status).is_empty() {
        errs.add("status", "类别应为死亡（dead）或失踪（missing）");
    }
    let cause = errs.check("cause", required_text("原因", &p.cause, 200));
    match p.day.trim().parse::<jiff::civil::Date>() {
        Ok(d) if d > today => errs.add("day", "日期不能晚于今天"),
        Ok(_) => {}
        Err(_) => errs.add("day", format!("日期“{}”格式不正确，应为 2026-07-10", p.day)),
    }
    match (errs.is_empty(), name, id, address, cause) {
        (true, Some(name), Some(id_number), Some(address), Some(cause)) => Ok(PersonInput {
            township: p.township.trim().into(),
            name,
            sex: p.sex.trim().into(),
            age: p.age,
            id_number,
            address,
            status: p.status.clone(),
            cause,
            day: p.day.trim().into(),
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// A household of the 倒塌损坏住房户台账.
pub fn check_house(
    h: &HouseInput,
    affected: &[(String, String)],
    prefix: Option<&str>,
) -> Result<HouseInput, Invalid> {
    let mut errs = Errors::default();
    township(&mut errs, &h.township, affected, prefix);
    let head = errs.check("head", required_text("户主姓名", &h.head, 50));
    let address = errs.check("address", required_text("住址", &h.address, 200));
    if !(1..=1000).contains(&h.rooms) {
        errs.add("rooms", "房屋间数应为 1 至 1000 的整数");
    }
    if label(HOUSE_DEGREES, &h.degree).is_empty() {
        errs.add("degree", "损坏程度应为倒塌、严重损坏或一般损坏");
    }
    match (errs.is_empty(), head, address) {
        (true, Some(head), Some(address)) => Ok(HouseInput {
            township: h.township.trim().into(),
            head,
            address,
            rooms: h.rooms,
            degree: h.degree.clone(),
        }),
        _ => Err(errs.into_invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb11643_check_digit() {
        // The standard's own example.
        assert!(check_id_number("11010519491231002X").is_ok());
        assert!(check_id_number("11010519491231002x").is_ok());
        assert!(check_id_number("110105194912310021").is_err());
        assert!(check_id_number("1101051949123100").is_err());
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
    }
}
