//! Background work run by `serve` or alone by `tiepdan worker`: the outbox sender, the deadline
//! scan and the weekly digest. Each job takes the time as a parameter and is safe to repeat.

pub mod deadlines;
pub mod digest;
pub mod outbox;
pub mod schedule;
