//! pharmacrm analytics: KPIs computed from plain inputs, with no I/O, each carrying the
//! method that produced it so a manager can see how a number came about. Storage gathers
//! the inputs; the service layer calls these functions.

pub mod attribution;
pub mod frequency;
