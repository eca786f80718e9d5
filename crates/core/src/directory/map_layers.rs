//! 一张图: the catalogue of map layers (what each shows, its group, its legend classes) and who
//! may see which. The store answers each layer with one query in its capability; this module
//! names the layers and their classes once, in Chinese, for the API and the console.

use crate::kernel::role::Scope;

/// 事前 (prevention), 事中 (what is happening), 资源 (what can be sent).
pub const GROUPS: &[(&str, &str)] = &[
    ("before", "事前"),
    ("during", "事中"),
    ("resources", "资源"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerDef {
    pub key: &'static str,
    pub label: &'static str,
    /// A key of [`GROUPS`].
    pub group: &'static str,
    /// The legend: class code and label, most urgent first.
    pub classes: &'static [(&'static str, &'static str)],
    /// An enterprise user sees this layer (its own records); the others are the bureau's.
    pub enterprise_sees: bool,
}

pub const LAYERS: &[LayerDef] = &[
    LayerDef {
        key: "enterprises",
        label: "企业",
        group: "before",
        classes: &[("major_hazard", "含重大危险源"), ("other", "其他企业")],
        enterprise_sees: true,
    },
    LayerDef {
        key: "major_hazards",
        label: "重大危险源",
        group: "before",
        classes: &[
            ("l1", "一级"),
            ("l2", "二级"),
            ("l3", "三级"),
            ("l4", "四级"),
        ],
        enterprise_sees: true,
    },
    LayerDef {
        key: "risk_points",
        label: "风险点",
        group: "before",
        classes: &[
            ("major", "重大风险（红）"),
            ("large", "较大风险（橙）"),
            ("general", "一般风险（黄）"),
            ("low", "低风险（蓝）"),
        ],
        enterprise_sees: true,
    },
    LayerDef {
        key: "hazards",
        label: "未闭环隐患",
        group: "before",
        classes: &[
            ("overdue", "逾期未整改"),
            ("major", "重大隐患"),
            ("general", "一般隐患"),
        ],
        enterprise_sees: true,
    },
    LayerDef {
        key: "protected_objects",
        label: "承灾体",
        group: "before",
        classes: crate::warning::target::OBJECT_KINDS,
        enterprise_sees: false,
    },
    LayerDef {
        key: "forest_areas",
        label: "林区（今日森林火险等级）",
        group: "before",
        classes: &[
            ("l5", "五级（极高火险）"),
            ("l4", "四级（高火险）"),
            ("l3", "三级（较高火险）"),
            ("l2", "二级（较低火险）"),
            ("l1", "一级（低火险）"),
            ("none", "未发布火险等级"),
        ],
        enterprise_sees: false,
    },
    LayerDef {
        key: "grid_overlays",
        label: "应急格、安监格",
        group: "before",
        classes: &[("emergency", "应急格"), ("safety", "安监格")],
        enterprise_sees: false,
    },
    LayerDef {
        key: "warnings",
        label: "生效预警",
        group: "during",
        classes: &[
            ("red", "红色预警"),
            ("orange", "橙色预警"),
            ("yellow", "黄色预警"),
            ("blue", "蓝色预警"),
        ],
        enterprise_sees: false,
    },
    LayerDef {
        key: "incidents",
        label: "在办事件",
        group: "during",
        classes: &[
            ("extra_major", "特别重大"),
            ("major", "重大"),
            ("larger", "较大"),
            ("general", "一般"),
        ],
        enterprise_sees: true,
    },
    LayerDef {
        key: "sensors",
        label: "监测点",
        group: "during",
        classes: &[
            ("alarming", "报警中"),
            ("offline", "离线"),
            ("online", "在线"),
        ],
        enterprise_sees: true,
    },
    LayerDef {
        key: "teams",
        label: "救援队伍",
        group: "resources",
        classes: crate::resources::codes::TEAM_STATUSES,
        enterprise_sees: false,
    },
    LayerDef {
        key: "experts",
        label: "专家",
        group: "resources",
        classes: &[("available", "可调用"), ("dispatched", "已调派")],
        enterprise_sees: false,
    },
    LayerDef {
        key: "warehouses",
        label: "物资储备库",
        group: "resources",
        classes: crate::resources::codes::WAREHOUSE_LEVELS,
        enterprise_sees: false,
    },
    LayerDef {
        key: "shelters",
        label: "避难场所",
        group: "resources",
        classes: &[("open", "开放"), ("closed", "关闭")],
        enterprise_sees: false,
    },
];

/// The layer named `key`, or the sentence saying it does not exist.
pub fn layer(key: &str) -> Result<&'static LayerDef, String> {
    LAYERS
        .iter()
        .find(|l| l.key == key)
        .ok_or_else(|| format!("图层“{key}”不存在"))
}

/// Whether a caller with this scope may see the layer: an enterprise sees its own records on
/// the layers that have them, not the bureau's warnings, 承灾体 or resources.
pub fn may_see(layer: &LayerDef, scope: &Scope) -> bool {
    layer.enterprise_sees || !matches!(scope, Scope::Enterprise { .. })
}

/// Why a layer was refused.
pub fn refused(layer: &LayerDef) -> String {
    format!("企业用户不能查看“{}”图层", layer.label)
}

/// The label of a class of a layer ("" for an unknown one).
pub fn class_label(layer: &LayerDef, class: &str) -> &'static str {
    layer
        .classes
        .iter()
        .find(|(c, _)| *c == class)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// 重大危险源 level 1..4 as its class code (`l1`…`l4`).
pub fn major_hazard_class(level: Option<i64>) -> String {
    level.map_or_else(|| "l4".to_string(), |l| format!("l{}", l.clamp(1, 4)))
}

/// A warning's level 1 (红)..4 (蓝) as its class code.
pub fn warning_class(level: i64) -> &'static str {
    match level {
        1 => "red",
        2 => "orange",
        3 => "yellow",
        _ => "blue",
    }
}

/// The size in degrees of the cells points are counted in when a view holds too many: about
/// 64 screen pixels at this zoom.
pub fn cluster_cell(zoom: f64) -> f64 {
    360.0 / 2f64.powf(zoom.clamp(0.0, 22.0)) / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_has_a_group_and_classes() {
        for l in LAYERS {
            assert!(GROUPS.iter().any(|(g, _)| *g == l.group), "{}", l.key);
            assert!(!l.classes.is_empty(), "{}", l.key);
            assert!(!class_label(l, l.classes[0].0).is_empty());
        }
        assert_eq!(layer("x").unwrap_err(), "图层“x”不存在");
    }

    #[test]
    fn enterprises_see_only_their_own_kinds_of_layer() {
        let ent = Scope::Enterprise {
            enterprise_id: "e".into(),
        };
        let seen: Vec<_> = LAYERS
            .iter()
            .filter(|l| may_see(l, &ent))
            .map(|l| l.key)
            .collect();
        assert_eq!(
            seen,
            [
                "enterprises",
                "major_hazards",
                "risk_points",
                "hazards",
                "incidents",
                "sensors"
            ]
        );
        assert!(LAYERS.iter().all(|l| may_see(l, &Scope::All)));
        assert_eq!(
            refused(layer("teams").unwrap()),
            "企业用户不能查看“救援队伍”图层"
        );
    }

    #[test]
    fn classes_of_levels() {
        assert_eq!(major_hazard_class(Some(1)), "l1");
        assert_eq!(major_hazard_class(None), "l4");
        assert_eq!(warning_class(2), "orange");
        assert!((cluster_cell(10.0) - 360.0 / 1024.0 / 4.0).abs() < 1e-12);
    }
}
