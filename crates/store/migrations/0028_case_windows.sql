-- 执法监管 (issue 21), cases continued: the case's 法律依据 (given at 立案, printed on its
-- documents), and the party's rights after the 告知书 — the statement (made 陈述申辩已完成 or
-- waived 放弃陈述申辩) and the hearing (requested 申请听证, held 听证已举行) — which hold the
-- decision (core::enforcement::case_windows).
-- Statements are separated by lines holding only ";".

ALTER TABLE enforcement_cases ADD COLUMN legal_basis TEXT NULL
;
ALTER TABLE enforcement_cases ADD COLUMN statement TEXT NULL
;
ALTER TABLE enforcement_cases ADD COLUMN hearing TEXT NULL
;
-- The reviewer's 待办: a department's cases awaiting 法制审核.
CREATE INDEX enforcement_cases_state_due ON enforcement_cases(state, department_id, decision_due)
