DROP TABLE voter_ratings;
DROP TABLE performance_reviews;
DROP TABLE performance_entries;
DROP TABLE performance_schemes;
DROP TABLE deputy_voters;
DROP TABLE reception_day_deputies;
DROP TABLE reception_days;
