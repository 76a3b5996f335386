// Delivery module.
