//! Loads generated demo data. Regions and enterprises go in as bulk inserts with one summary
//! audit record each (a city-scale load would otherwise write 100,000 audit records).

mod load;
pub use load::{Loaded, is_loaded, load};
mod hazards;
pub use hazards::generate_hazards;
mod risk_points;
pub use risk_points::generate_risk_points;
mod major_hazards;
pub use major_hazards::{generate_major_hazards, generate_sensors};
mod response;
pub use response::{generate_incidents, generate_plans};
mod enforcement;
pub use enforcement::{DEMO_DRAW_SEED, generate_enforcement};
mod credit_listings;
pub use credit_listings::generate_credit_listings;
mod enforcement_cases;
pub use enforcement_cases::generate_enforcement_cases;
mod credit_insurance;
pub use credit_insurance::{DEMO_INSURER_CODE, generate_insurance};
mod enforcement_year;
pub use enforcement_year::generate_inspection_year;
mod credit_licences;
pub use credit_licences::generate_credit_licences;
mod credit_ratings;
pub use credit_ratings::generate_credit_ratings;
mod credit_commitments;
mod credit_duty;
mod disasters_flood;
pub use credit_commitments::generate_commitments;
pub use credit_duty::generate_credit_duty;
mod disasters_consult;
mod disasters_forest;
mod disasters_reports;
pub use disasters_consult::generate_consultations;
pub use disasters_flood::generate_flood;
pub use disasters_forest::generate_forest;
pub use disasters_reports::generate_disaster_reports;
