//! The words of an audit-log action: `incident.create` → 新建突发事件, `login` on a user → 登录.
//! An action is `entity.verb` or a bare verb with the record's entity type; the words are a
//! phrase of its own where one exists (报警转为隐患), else the verb's words and the entity's
//! (新建 + 突发事件). Every action the code base records has words here (a test reads the sources).

/// Entity types as users call them.
pub const ENTITIES: &[(&str, &str)] = &[
    ("alarm", "报警"),
    ("allocation", "物资调拨单"),
    ("allocation_order", "物资调拨单"),
    ("api_token", "接口令牌"),
    ("audit_log", "审计日志"),
    ("key_ring", "密钥"),
    ("census", "风险普查成果"),
    ("channel", "通知渠道"),
    ("credit_key_person", "关键岗位人员"),
    ("credit_licence", "许可证照"),
    ("credit_proposal", "证照信息变更申请"),
    ("credit_commitment", "安全承诺"),
    ("credit_duty_report", "履职报告"),
    ("credit_post", "岗位两单两卡"),
    ("credit_objection", "信用异议"),
    ("credit_rating", "信用等级"),
    ("credit_scheme", "信用评价方案"),
    ("credit_listing", "严重失信主体名单"),
    ("credit_listing_record", "失信认定记录"),
    ("credit_public_risk", "公开的重大安全风险"),
    ("department", "部门"),
    ("disaster_consultation", "会商研判"),
    ("disaster_consultation_action", "会商任务"),
    ("grid_event", "网格事件"),
    ("disaster_informant", "灾害信息员"),
    ("disaster_process", "灾害过程"),
    ("disaster_relief_batch", "救助资金发放批次"),
    ("disaster_settings", "灾情报送设置"),
    ("district_rules", "判定规则"),
    ("duty", "值班"),
    ("duty_log", "值班日志"),
    ("disaster_order", "断禁停撤疏指令"),
    ("evacuation_order", "转移指令"),
    ("evacuation_plan", "转移预案"),
    ("flood_patrol_log", "防汛巡查记录"),
    ("duty_shift", "值班排班"),
    ("enforcement_case", "行政处罚案件"),
    ("fire_use", "野外用火申请"),
    ("forest_area", "林区"),
    ("forest_fire_point", "火点"),
    ("forest_level", "森林火险等级"),
    ("forest_patrol", "护林巡查记录"),
    ("enforcement_document", "执法文书"),
    ("enforcement_draw", "双随机抽取"),
    ("enforcement_inspector", "执法人员"),
    ("enforcement_item", "执法事项"),
    ("enforcement_plan", "年度检查计划"),
    ("enforcement_receipt", "送达回执"),
    ("inspection_task", "检查任务"),
    ("enterprise", "企业"),
    ("expert", "专家"),
    ("gateway", "数据网关"),
    ("hazard", "隐患"),
    ("hazard_criterion", "重大隐患判定标准"),
    ("incident", "突发事件"),
    ("insurer", "保险机构"),
    ("insurance_policy", "安责险保单"),
    ("insurance_claim", "安责险理赔"),
    ("prevention_service", "事故预防服务"),
    ("inspection_record", "现场检查记录"),
    ("major_hazard", "重大危险源"),
    ("notify_channel", "通知渠道"),
    ("patrol", "巡查"),
    ("grid_overlay", "应急格/安监格"),
    ("grid_patrol_task", "巡查任务"),
    ("plan", "应急预案"),
    ("protected_object", "承灾体"),
    ("region", "行政区划"),
    ("risk_point", "风险点"),
    ("rules", "判定规则"),
    ("sensor", "监测点"),
    ("shelter", "避难场所"),
    ("stock", "物资库存"),
    ("team", "救援队伍"),
    ("user", "用户"),
    ("export", "数据导出"),
    ("warehouse", "储备库"),
    ("warning", "预警"),
    ("warning_feed", "预警接入源"),
    ("work_order", "响应工单"),
];

/// Verbs that read the same for every entity (put before the entity's name).
pub const VERBS: &[(&str, &str)] = &[
    ("create", "新建"),
    ("update", "修改"),
    ("delete", "删除"),
    ("import", "导入"),
    ("archive", "归档"),
    ("deactivate", "停用"),
    ("reactivate", "启用"),
    ("approve", "审批"),
    ("reject", "驳回"),
    ("confirm", "确认"),
    ("cancel", "撤销"),
    ("revoke", "吊销"),
    ("propose", "申请变更"),
    ("confirm_change", "确认变更"),
    ("reject_change", "驳回变更"),
    ("test", "测试"),
];

/// Whole actions with words of their own.
pub const PHRASES: &[(&str, &str)] = &[
    ("security.policy", "修改密码与会话策略"),
    ("security.totp_enrol", "绑定动态口令"),
    ("security.totp_disable", "解除动态口令"),
    ("security.recovery_codes", "生成恢复码"),
    ("security.factor", "通过第二因素验证"),
    ("security.sms_code", "发送短信验证码"),
    ("security.binding_lookup", "查询账号可绑定的企业或保险机构"),
    ("login", "登录"),
    ("logout", "退出登录"),
    ("login_failed", "登录失败"),
    ("sso_login", "统一身份认证登录"),
    ("sso_login_failed", "统一身份认证登录失败"),
    ("sso_link", "关联统一身份认证账号"),
    ("permission", "变更角色或管辖范围"),
    ("export_personal", "导出个人信息"),
    ("read_personal", "查看特殊群体信息"),
    ("lock", "锁定账号"),
    ("unlock", "解锁账号"),
    ("password", "修改密码"),
    ("stand_down", "解除应急响应"),
    ("alarm.act", "处置报警"),
    ("alarm.escalate", "报警逐级通知"),
    ("gateway.rotate", "更换数据网关密钥"),
    ("keys.rotate", "轮换密钥"),
    ("audit.seal", "封存审计链起点"),
    ("audit.read", "查看审计日志"),
    ("audit.verify", "校验审计链"),
    ("audit.export", "导出审计日志"),
    ("personal.seal", "加密存量个人信息"),
    ("alarm.to_hazard", "报警转为隐患"),
    ("allocation.request", "申请物资调拨"),
    ("allocation.approve", "审批物资调拨"),
    ("allocation.reject", "驳回物资调拨"),
    ("allocation.ship", "调拨物资出库"),
    ("allocation.receive", "签收调拨物资"),
    ("allocation.cancel", "撤销物资调拨"),
    ("duty.log", "记录值班日志"),
    ("fire_use.create", "申请野外用火"),
    ("fire_use.approve", "批准野外用火"),
    ("fire_use.refuse", "不予批准野外用火"),
    ("fire_use.decide", "审批野外用火"),
    ("fire_use.suspend", "暂停野外用火（火险等级过高）"),
    ("forest_level.update", "录入森林火险等级"),
    ("forest_fire_point.dismiss", "火点核实为误报"),
    ("duty.shift", "排班"),
    ("gateway.active", "启用或停用数据网关"),
    ("patrol.check_in", "巡查打卡"),
    ("grid.overlay_create", "新建应急格/安监格"),
    ("grid.overlay_update", "修改应急格/安监格"),
    ("grid.overlay_member_add", "加入应急格/安监格网格员"),
    ("grid.overlay_member_remove", "移出应急格/安监格网格员"),
    ("grid.patrol_task_create", "下达巡查任务"),
    ("grid.patrol_task_start", "开始巡查任务"),
    ("grid.patrol_task_finish", "完成巡查任务"),
    ("flood.duty_save", "登记防汛责任人"),
    ("flood.patrol", "提交防汛巡查记录"),
    ("evacuation.plan_save", "编制转移预案"),
    ("evacuation.order", "下达转移指令"),
    ("evacuation.answer", "登记转移回复"),
    ("evacuation.check_in", "转移人员入住安置点"),
    ("disaster_order.issue", "下达断禁停撤疏指令"),
    ("disaster_order.carry_out", "断禁停撤疏指令执行完毕"),
    ("disaster.process_create", "登记灾害过程"),
    ("disaster.process_stable", "灾情稳定"),
    ("disaster.report", "报送灾情"),
    ("disaster.report_overdue", "灾情报送逾期"),
    ("disaster.report_higher", "灾情报告上级"),
    ("disaster.response_proposed", "建议启动救灾应急响应"),
    ("disaster.settings", "修改灾情报送设置"),
    ("disaster.yearbook", "修改年度统计（生产总值、人口）"),
    ("disaster.ledger_person", "登记因灾死亡失踪人员"),
    ("disaster.ledger_house", "登记因灾倒损住房户"),
    ("disaster.informant_create", "登记灾害信息员"),
    ("disaster.relief_entry", "登记救助对象"),
    ("disaster.relief_import", "导入救助名单"),
    ("disaster.relief_progress", "更新倒损住房重建进度"),
    ("disaster.relief_winter", "登记冬春救助需救助人数"),
    ("disaster.relief_settings", "修改救助公示天数"),
    ("disaster.relief_batch_create", "编制救助资金发放批次"),
    ("disaster.relief_batch_publish", "公示救助资金发放名单"),
    ("disaster.relief_objection", "登记公示异议"),
    ("disaster.relief_notice_end", "救助名单公示期满"),
    ("disaster.relief_export", "导出一卡通发放文件"),
    ("disaster.relief_results", "导入一卡通发放结果"),
    ("disaster.informant_update", "修改灾害信息员"),
    ("disaster.informant_retire", "灾害信息员退出"),
    ("disaster.consultation_create", "组织会商研判"),
    ("disaster.consultation_action_done", "完成会商任务"),
    ("disaster.consultation_action_overdue", "会商任务逾期"),
    ("grid.event_filed", "上报网格事件"),
    ("grid.event_dispatched", "分拨网格事件"),
    ("grid.event_pending", "网格事件待人工分拨"),
    ("grid.event_accepted", "签收网格事件"),
    ("grid.event_returned", "退回网格事件"),
    ("grid.event_card", "网格事件督办"),
    ("grid.event_handled", "网格事件处置完成"),
    ("grid.event_answered", "反馈网格事件"),
    ("grid.event_visited", "网格事件回访"),
    ("grid.event_merged", "合并重复事件"),
    ("grid.hotline_imported", "导入热线工单"),
    ("grid.event_to_hazard", "网格事件转隐患"),
    ("grid.joint_started", "发起网格事件联动"),
    ("grid.joint_part_done", "完成联动任务"),
    ("grid.joint_part_waived", "联动任务不再办理"),
    ("grid.joint_part_overdue", "联动任务逾期"),
    ("grid.event_to_incident", "网格事件转接报"),
    ("grid.reward_verified", "核查举报"),
    ("grid.reward_identified", "认定举报"),
    ("grid.reward_decided", "决定举报奖励"),
    ("grid.reward_paid", "发放举报奖励"),
    ("credit.licence_save", "登记许可证照"),
    ("credit.licence_propose", "申请登记许可证照"),
    ("credit.licence_expiry", "证照到期提醒"),
    ("credit.standardisation_save", "登记标准化等级"),
    ("credit.standardisation_propose", "申请登记标准化等级"),
    ("credit.proposal_confirm", "确认证照信息变更"),
    ("credit.proposal_reject", "驳回证照信息变更"),
    ("credit.key_person_save", "登记关键岗位人员"),
    ("credit.key_person_delete", "删除关键岗位人员"),
    ("credit.commitment_submit", "提交安全承诺"),
    ("credit.commitment_missed", "安全承诺逾期未交"),
    ("credit.commitment_escalated", "安全承诺督办"),
    ("credit.duty_report_submit", "提交履职报告"),
    ("credit.duty_report_review", "审核履职报告"),
    ("credit.duty_report_missed", "履职报告逾期未交"),
    ("credit.duty_report_escalated", "履职报告督办"),
    ("credit.post_save", "维护岗位两单两卡"),
    ("credit.post_delete", "删除岗位两单两卡"),
    ("credit.scheme_update", "修改信用评价方案"),
    ("credit.rating_change", "信用等级变更"),
    ("credit.adjust", "调整信用评分"),
    ("credit.object", "提出信用异议"),
    ("credit.answer_objection", "答复信用异议"),
    ("credit.enter_record", "录入失信认定记录"),
    ("credit.propose_listing", "提出列入严重失信主体名单"),
    ("credit.listing_notice", "告知拟列入严重失信主体名单"),
    ("credit.listing_statement", "严重失信主体陈述申辩"),
    ("credit.listing_decide", "作出严重失信主体名单列入决定"),
    ("credit.listing_publish", "公开严重失信主体名单"),
    ("credit.listing_request_repair", "申请信用修复"),
    ("credit.listing_decide_repair", "决定信用修复"),
    ("credit.listing_restore", "撤销信用修复，恢复列入"),
    ("credit.listing_expire", "名单管理期满自动移出"),
    ("credit.publish_risk", "公开重大安全风险"),
    ("credit.withdraw_risk", "撤下公开的重大安全风险"),
    ("enforcement.case_file", "行政处罚立案"),
    ("enforcement.case_step", "案件办理步骤"),
    ("enforcement.case_overdue", "案件期限逾期"),
    ("enforcement.correct_document", "更正执法文书"),
    ("enforcement.draw", "双随机抽取"),
    ("enforcement.issue_document", "开具执法文书"),
    ("enforcement.publish", "公开双随机抽取结果"),
    ("enforcement.register_inspector", "登记执法人员"),
    ("enforcement.add_conflict", "登记执法回避"),
    ("enforcement.joint", "安排联合检查"),
    ("enforcement.inspect", "记录现场检查"),
    ("enforcement.sign", "现场检查签名"),
    ("enforcement.serve", "送达执法文书"),
    ("insurance_claim.accept", "受理安责险理赔"),
    ("insurance_claim.pay", "安责险理赔赔付"),
    ("insurance_claim.refuse", "安责险拒赔"),
    ("insurance_policy.notify_uninsured", "提醒未投保安责险企业"),
    ("hazard.grade", "隐患定级"),
    ("hazard.submit_plan", "提交隐患治理方案"),
    ("hazard.evaluate", "隐患治理评估"),
    ("hazard.submit_rectification", "隐患整改完成，申请验收"),
    ("hazard.accept", "隐患验收销号"),
    ("hazard.reject", "隐患验收驳回"),
    ("hazard.request_extension", "申请隐患整改延期"),
    ("hazard.decide_extension", "审批隐患整改延期"),
    ("hazard.escalate", "升级为重大隐患"),
    ("hazard.escalation", "隐患逐级通知"),
    ("hazard.transfer", "隐患转办"),
    ("hazard.dismiss", "隐患不予立案"),
    ("hazard.list", "隐患挂牌督办"),
    ("hazard.listing_step", "挂牌督办逐级提醒"),
    ("hazard.overdue", "隐患整改逾期"),
    ("incident.close", "应急处置结束"),
    ("incident.create", "新建突发事件"),
    ("incident.dispatch", "调派救援力量"),
    ("incident.escalate", "事件信息上报"),
    ("incident.followup", "事件续报"),
    ("incident.followup_done", "完成续报"),
    ("incident.investigation", "事故调查"),
    ("incident.report", "事件报告"),
    ("incident.response", "启动或调整应急响应"),
    ("incident.return", "救援力量归队"),
    ("incident.task", "更新处置任务"),
    ("shelter.open", "开放避难场所"),
    ("shelter.close", "关闭避难场所"),
    ("shelter.check_in", "避难场所入住"),
    ("shelter.check_out", "避难场所人员离开"),
    ("stock.inbound", "物资入库"),
    ("stock.outbound", "物资出库"),
    ("stock.transfer_out", "物资调拨出库"),
    ("stock.transfer_in", "物资调拨入库"),
    ("stock.count", "物资盘点"),
    ("stock.write_off", "物资报损"),
    ("warning.submit", "提交预警审核"),
    ("warning.approve", "审核发布预警"),
    ("warning.reject", "退回预警"),
    ("warning.cancel", "解除预警"),
    ("warning.ingest", "接入上级预警"),
    ("warning.order", "预警叫应逐级提醒"),
    ("work_order.acknowledge", "工单叫应"),
    ("work_order.report", "工单反馈"),
];

fn find(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// (entity, verb) of an action: `incident.create` or `create` with the record's entity type.
fn split<'a>(action: &'a str, entity_type: &'a str) -> (&'a str, &'a str) {
    action.split_once('.').unwrap_or((entity_type, action))
}

/// The words of an action, or None when it has none here.
pub fn known(action: &str, entity_type: &str) -> Option<String> {
    if let Some(p) = find(PHRASES, action) {
        return Some(p.to_string());
    }
    let (entity, verb) = split(action, entity_type);
    let full = format!("{entity}.{verb}");
    if let Some(p) = find(PHRASES, &full) {
        return Some(p.to_string());
    }
    Some(format!("{}{}", find(VERBS, verb)?, find(ENTITIES, entity)?))
}

/// The words of an entity type (突发事件); one not in the table reads 其他.
pub fn entity_label(entity_type: &str) -> &'static str {
    find(ENTITIES, entity_type).unwrap_or("其他")
}

/// The words of an action; one not in the tables reads 其他操作 (on its entity when known).
pub fn label(action: &str, entity_type: &str) -> String {
    known(action, entity_type).unwrap_or_else(|| {
        let (entity, _) = split(action, entity_type);
        match find(ENTITIES, entity) {
            Some(e) => format!("{e}的其他操作"),
            None => "其他操作".to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_words() {
        assert_eq!(label("incident.create", "incident"), "新建突发事件");
        assert_eq!(label("create", "department"), "新建部门");
        assert_eq!(label("import", "enterprise"), "导入企业");
        assert_eq!(label("login", "user"), "登录");
        assert_eq!(label("team.deactivate", "team"), "停用救援队伍");
        assert_eq!(label("risk_point.create", "risk_point"), "新建风险点");
        assert_eq!(label("hazard.grade", "hazard"), "隐患定级");
        assert_eq!(label("shelter.check_in", "shelter"), "避难场所入住");
        assert_eq!(label("frobnicate", "team"), "救援队伍的其他操作");
        assert_eq!(label("x.y", "z"), "其他操作");
    }

    /// Every action the sources record: the `entity.verb` literals of the store, the use cases
    /// and the jobs, the bare verbs after `action:`, and the families built at run time.
    #[test]
    fn every_recorded_action_has_words() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut missing = Vec::new();
        for krate in ["store", "app", "jobs", "core", "server", "ingest"] {
            for file in rust_files(&root.join(krate).join("src")) {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                for lit in literals(&text) {
                    let dotted = lit.split_once('.').filter(|(e, v)| {
                        find(ENTITIES, e).is_some() && !v.is_empty() && !v.contains('.')
                    });
                    if let Some((e, _)) = dotted
                        && known(&lit, e).is_none()
                    {
                        missing.push(format!("{lit} ({})", file.display()));
                    }
                }
                for line in text
                    .lines()
                    .filter(|l| l.trim_start().starts_with("action: \""))
                {
                    let verb = line.split('"').nth(1).unwrap_or("");
                    if verb.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        && !verb.is_empty()
                        && find(PHRASES, verb).is_none()
                        && find(VERBS, verb).is_none()
                    {
                        missing.push(format!("{verb} ({})", file.display()));
                    }
                }
            }
        }
        let families = [
            (
                "hazard",
                crate::prevention::hazard::Action::ALL
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                "stock",
                crate::resources::MOVEMENT_KINDS
                    .iter()
                    .map(|(k, _)| *k)
                    .collect(),
            ),
            ("shelter", vec!["open", "close", "check_in", "check_out"]),
            ("warning", vec!["submit", "approve", "reject", "cancel"]),
        ];
        for (entity, verbs) in families {
            for v in verbs {
                if known(&format!("{entity}.{v}"), entity).is_none() {
                    missing.push(format!("{entity}.{v}"));
                }
            }
        }
        for entity in [
            "team",
            "expert",
            "warehouse",
            "stock",
            "shelter",
            "sensor",
            "protected_object",
        ] {
            for v in ["deactivate", "reactivate", "import"] {
                if known(&format!("{entity}.{v}"), entity).is_none() {
                    missing.push(format!("{entity}.{v}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "audit actions without words: {missing:?}"
        );
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }

    /// The `"…"` literals made of lower-case letters, `_` and one `.`.
    fn literals(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.matches('.').count() == 1
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn no_label_is_code_or_english() {
        for (_, l) in ENTITIES.iter().chain(VERBS).chain(PHRASES) {
            assert!(!l.chars().any(|c| c.is_ascii_alphabetic()), "{l}");
        }
    }
}
