//! 应急资源: the use cases that write the resource registers, each in one transaction.

pub mod registers;
