//! 靶向预警: which protected objects (承灾体) a warning concerns, what their responsible persons
//! must do, and by when they must answer (叫应). The tables are a district rule (`warning` in
//! `DistrictRules`), versioned with the others; these defaults follow seed 002's practice.

mod config;
pub use config::{ActionRule, OBJECT_KINDS, TargetingConfig, kind_label};
mod publisher;
pub use publisher::Publisher;
mod effectiveness;
pub use effectiveness::{
    Effectiveness, OrderOutcome, PERSON_TYPES, default_person_type, person_type_label,
};
mod area;
pub use area::PreparedArea;
pub mod object;
pub use object::{CheckedObject, ObjectInput, ResponsibleAccount, check_object, mask_name};
pub mod order;
pub use order::{Answer, OrderAnswer, check_answer};
