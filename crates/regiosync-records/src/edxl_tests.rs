//! Tests of the EDXL-RM export (`edxl`).
