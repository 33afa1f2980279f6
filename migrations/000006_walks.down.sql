DROP TABLE IF EXISTS measures;
DROP TABLE IF EXISTS walk_observations;
DROP TABLE IF EXISTS walk_stops;
DROP TABLE IF EXISTS walks;
DROP TABLE IF EXISTS street_edges;
DROP TABLE IF EXISTS street_nodes;
DROP TABLE IF EXISTS street_networks;
DROP SEQUENCE IF EXISTS street_network_generation;
