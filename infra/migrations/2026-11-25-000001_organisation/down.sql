DROP TABLE deputy_stations;
DROP TABLE users;
DROP TABLE agency_categories;
DROP TABLE agencies;
DROP TABLE stations;
DROP TABLE categories;
DROP TABLE regions;
