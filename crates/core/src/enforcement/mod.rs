//! 执法监管 (enforcement): the 执法事项目录, the two pools of 双随机 (检查对象名录库 and
//! 执法检查人员名录库), annual inspection plans, the draws, inspections, documents and cases.
//! Who may do what, the inputs' checks and the wording.

pub mod draw;
