//! Reports for heads and auditors: read models over cases and their events, answered as JSON or
//! CSV. They never reuse write-side types and never carry a denouncer's identity.
