//! Tables and rules of sampling standards.

pub mod iso2859_1;
pub mod iso3951;
