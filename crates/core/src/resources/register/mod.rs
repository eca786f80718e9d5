//! Registers (名录/台账) that are kept as rows: rescue teams, experts, warehouses, stock lines,
//! shelters, sensors and 承灾体. Their import columns and a row parser shared by all of them: a
//! row of Chinese-headed cells becomes the JSON body the register's create endpoint takes, so an
//! imported row is checked by exactly the rules a form is. Enterprises have their own importer
//! (`import`), which this one follows: the same header markers, bounds and report wording.

mod columns;
pub use columns::{Cell, Column};
mod kind;
pub use kind::{Register, template_notes};
mod parse;
pub use parse::{ParsedRows, RowParser, read_cell};
