-- 三员分立 (issue 26): the roles `security_admin` (安全保密管理员) and `auditor` (安全审计员) join
-- `admin`, which keeps its code and becomes 系统管理员 alone (existing admin accounts stay
-- 系统管理员; nothing to rewrite). `yingji serve` creates a first security administrator and
-- auditor when none exists. This index serves that check and the "last active holder" rule.
-- Statements are separated by lines holding only ";".

CREATE INDEX users_role_active ON users(role, active)
