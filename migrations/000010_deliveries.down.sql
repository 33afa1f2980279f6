DROP TABLE IF EXISTS report_deliveries;
DROP TABLE IF EXISTS delivery_destinations;
