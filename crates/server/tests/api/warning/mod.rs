//! Warnings: issue, CAP, targeting, work orders, feeds.

mod warnings;
