//! The demo district (DESIGN.md): `district` generates regions, departments, enterprises and
//! accounts deterministically (the enterprises' trades and their typical risk points in `trades`) from the public district packages (data/demo-district); `seed`
//! loads them into a store and adds synthetic risk points, major hazards, sensors, plans,
//! incidents and hazards; `resources` adds teams, experts, warehouses, shelters and protected
//! objects. It sits outside the store so that the store holds only rows and SQL (issue 19).

pub mod district;
pub mod resources;
pub mod seed;
pub mod trades;

pub use district::*;
