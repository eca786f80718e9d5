use super::*;
use crate::disasters::census_geojson::read_geojson;
use serde_json::json;

fn district() -> District {
    District {
        code: "360403".into(),
        bounds: Some(BBox {
            min_lon: 115.9,
            min_lat: 29.6,
            max_lon: 116.1,
            max_lat: 29.8,
        }),
        regions: ["360403001", "360403001001"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

fn rows(v: serde_json::Value) -> Vec<RawRow> {
    let mut out = Vec::new();
    read_geojson(v.to_string().as_bytes(), &mut |r| {
        out.push(r);
        true
    })
    .unwrap();
    out
}

fn feature(props: serde_json::Value, at: [f64; 2]) -> serde_json::Value {
    json!({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": at}})
}

#[test]
fn a_good_object_and_a_shelter() {
    let fc = json!({"type": "FeatureCollection", "features": [
        feature(json!({"普查编码": "A1", "类型": "学校", "名称": "一小", "区划代码": "360403001001",
            "责任人": "张三", "责任人电话": "13800000000", "建成年代": 1998}), [116.0, 29.7]),
        feature(json!({"census_code": "S1", "kind": "shelter", "name": "广场", "address": "某路", "场所类型": "紧急避难场所",
            "可容纳人数": 300, "区划代码": "360403001001", "责任人": "李四", "责任人电话": "13800000001", "颜色": "红"}), [116.0, 29.7]),
    ]});
    let rs = rows(fc);
    let a = check_row(rs[0].clone(), &district(), Numbering::Features);
    let Ok(Checked::Object {
        input, attributes, ..
    }) = a.result
    else {
        panic!("{a:?}")
    };
    assert_eq!(input.kind, "school");
    assert_eq!(input.region_code, "360403001001");
    assert_eq!(attributes.as_deref(), Some(r#"{"建成年代":1998}"#));
    let b = check_row(rs[1].clone(), &district(), Numbering::Features);
    let Ok(Checked::Resource { register, body }) = b.result else {
        panic!("{b:?}")
    };
    assert_eq!(register, Register::Shelters);
    assert_eq!(body["capacity"], 300);
    assert_eq!(body["manager"], "李四");
    assert_eq!(b.ignored, 1);
}

#[test]
fn bad_rows_name_row_and_column() {
    let fc = json!({"type": "FeatureCollection", "features": [
        feature(json!({"普查编码": "A1", "类型": "学校", "名称": "一小", "区划代码": "360403001001",
            "责任人": "张三", "责任人电话": "13800000000"}), [120.0, 29.7]),
        feature(json!({"普查编码": "A2", "类型": "外星基地", "名称": "x", "区划代码": "360402001001",
            "责任人": "张三", "责任人电话": "138"}), [116.0, 29.7]),
        feature(json!({"普查编码": "A3", "类型": "桥梁", "名称": "", "区划代码": "360403001001",
            "责任人": "张三", "责任人电话": "138"}), [116.0, 29.7]),
    ]});
    let rs = rows(fc);
    let e = check_row(rs[0].clone(), &district(), Numbering::Features)
        .result
        .unwrap_err();
    assert_eq!(e[0].column, "经度");
    assert!(e[0].reason.starts_with("第1个要素的位置"), "{e:?}");
    let e = check_row(rs[1].clone(), &district(), Numbering::Features)
        .result
        .unwrap_err();
    let cols: Vec<&str> = e.iter().map(|x| x.column.as_str()).collect();
    assert_eq!(cols, ["类型", "区划代码"]);
    let e = check_row(rs[2].clone(), &district(), Numbering::Rows)
        .result
        .unwrap_err();
    let cols: Vec<&str> = e.iter().map(|x| x.column.as_str()).collect();
    assert_eq!(cols, ["名称", "责任人电话"], "{e:?}");
    assert!(e[0].reason.starts_with("第3行"));
}

#[test]
fn geometries_give_a_point() {
    use crate::disasters::census_geojson::point_of;
    let poly = json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]]});
    assert_eq!(point_of(&poly).unwrap(), [1.0, 1.0]);
    let line = json!({"type": "LineString", "coordinates": [[3.0, 4.0], [5.0, 6.0]]});
    assert_eq!(point_of(&line).unwrap(), [3.0, 4.0]);
    assert!(point_of(&json!({"type": "Circle"})).is_err());
    let mut n = 0;
    let e = read_geojson(br#"{"type": "Feature"}"#, &mut |_| {
        n += 1;
        true
    });
    assert!(e.unwrap_err().contains("FeatureCollection"));
}

#[test]
fn who_may_import() {
    let district = Scope::Region {
        region_code: "360403".into(),
        prefix: "360403".into(),
    };
    let street = Scope::Region {
        region_code: "360403001".into(),
        prefix: "360403001".into(),
    };
    assert!(may_import(Role::Admin, &Scope::All));
    assert!(may_import(Role::DutyOfficer, &district));
    assert!(!may_import(Role::Commander, &street));
    assert!(!may_import(Role::StreetStaff, &district));
}
