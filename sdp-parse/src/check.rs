//! JSEP and offer/answer checks (filled in below).
