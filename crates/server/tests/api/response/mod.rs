//! Response: incidents, plans, investigations, duty.

mod incidents;
