//! 应急资源: the use cases that write the resource registers, stock, shelters and allocation
//! orders, each in one transaction.

pub mod allocations;
pub mod registers;
pub mod shelters;
pub mod stock;
