//! 应急资源: rescue teams, the 专家库, warehouses with a material ledger, shelters, allocation orders
//! (调拨单) and the search for what is near an incident. Pure rules; the tables and the
//! transactions that apply these rules are in `yingji-store::resources`.
//!
//! The codes and their labels are in `codes`, distances and the search grid in `grid`, the
//! ledger's arithmetic in `ledger`; each register's input, checks and wording in its own module.
//! What other modules use most is re-exported here (`resources::label`, `resources::cell_of` …).

pub mod access;
pub mod allocations;
pub mod codes;
pub mod deactivation;
pub mod experts;
pub mod fields;
pub mod grid;
pub mod import;
pub mod ledger;
pub mod refusal;
pub mod register;
pub mod search;
pub mod shelters;
pub mod stock;
pub mod teams;
pub mod warehouses;

pub use allocations::{OrderAction, check_line_quantities, order_next};
pub use codes::{
    EXPERT_SECTIONS, MOVEMENT_KINDS, ORDER_STATUSES, RESERVE_TYPES, SHELTER_KINDS, TEAM_KINDS,
    TEAM_STATUSES, WAREHOUSE_LEVELS, label, one_of,
};
pub use grid::{
    CELL_DEG, MAX_RADIUS_M, SEARCH_RINGS_M, cell_of, cell_ranges_of_bbox, cell_ranges_within,
    distance_m,
};
pub use ledger::{MAX_QUANTITY, StockLevel, expiry_state, manual_delta, reserve, ship};
pub use refusal::Refusal;
pub use search::{Need, parse_need};
pub use shelters::{check_in, check_out};
pub use teams::team_transition;
