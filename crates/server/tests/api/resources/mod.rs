//! Resources: registers, stock, shelters, allocations, search.

pub mod ledger;
mod registers;
