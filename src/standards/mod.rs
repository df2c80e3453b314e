//! Tables and rules of sampling standards.

pub mod iso2859_1;
